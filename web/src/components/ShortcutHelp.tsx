import { Dialog } from './Dialog';

export const LIST_KEYS: [string, string][] = [
  ['j / k', 'Next / previous ticket'],
  ['Enter or o', 'Open the highlighted ticket'],
  ['x', 'Select or unselect the highlighted ticket'],
  ['/', 'Search'],
  ['c', 'New ticket'],
  ['?', 'This help'],
];

export const TICKET_KEYS: [string, string][] = [
  ['r', 'Reply to the customer'],
  ['n', 'Add an internal note'],
  ['j / k', 'Next / previous ticket of the list'],
  ['u', 'Back to the list'],
  ['Ctrl + Enter', 'Send (in the composer)'],
  ['?', 'This help'],
];

export function ShortcutHelp({ open, onClose, keys }: { open: boolean; onClose: () => void; keys: [string, string][] }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <table class="keys">
        <tbody>
          {keys.map(([k, what]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
