// "Did this answer solve it?" under the AI's automated answer to a customer's ticket, while that
// answer waits for the requester (GET /tickets/{id}/resolution, state "pending"). Yes solves the
// ticket; no sends it to a person. Asked only of a pending ticket whose last message is the AI's,
// so other tickets cost no request.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../api/client';
import { useSubmit } from '../lib/hooks';
import { FormError } from './Field';

interface Resolution {
  state: 'pending' | 'solved' | 'reopened' | 'dropped';
}

interface Props {
  ticketId: number;
  version: number;
  /** the ticket is pending and its last message is the AI's */
  awaited: boolean;
  onAnswered: () => void;
}

export function AutoAnswerPrompt({ ticketId, version, awaited, onAnswered }: Props) {
  const [pending, setPending] = useState(false);
  // which button sent the form: read when the submit runs, after the click
  const helped = useRef(true);
  useEffect(() => {
    let live = true;
    if (!awaited) {
      setPending(false);
      return undefined;
    }
    get<Resolution>(`/tickets/${ticketId}/resolution`).then(
      (r) => live && setPending(r.state === 'pending'),
      () => live && setPending(false), // 404: no automated answer on this ticket
    );
    return () => {
      live = false;
    };
  }, [ticketId, version, awaited]);
  const { submit, busy, form } = useSubmit(async () => {
    await post(`/tickets/${ticketId}/resolution`, { helped: helped.current });
    setPending(false);
    onAnswered();
  }, []);
  if (!pending) return null;
  return (
    <form class="card auto-answer" onSubmit={submit} noValidate aria-labelledby="auto-answer-q">
      <p id="auto-answer-q">
        <strong>Did this answer solve your problem?</strong>
      </p>
      <FormError error={form} />
      <div class="actions">
        <button class="btn primary" type="submit" disabled={busy} onClick={() => (helped.current = true)}>
          Yes, it's solved
        </button>
        <button class="btn" type="submit" disabled={busy} onClick={() => (helped.current = false)}>
          No, I still need help
        </button>
      </div>
    </form>
  );
}
