// A "Delete" button for a row of a table: asks first, deletes through the API, then calls
// onDone; a refusal becomes a toast.
import { del, errorMessage } from '../api/client';
import { toast } from './Toasts';

export function DeleteButton({ what, path, onDone }: { what: string; path: string; onDone: () => void }) {
  return (
    <button
      type="button"
      class="btn small danger"
      aria-label={`Delete ${what}`}
      onClick={async () => {
        if (!confirm(`Delete ${what}?`)) return;
        try {
          await del(path);
          onDone();
        } catch (e) {
          toast(errorMessage(e), 'error');
        }
      }}
    >
      Delete
    </button>
  );
}
