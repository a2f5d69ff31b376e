// "How did we do?": 1 to 5 stars and an optional comment, once a ticket is solved.
import { useState } from 'preact/hooks';
import { ApiError, post } from '../api/client';
import type { Rating } from '../api/types';
import { useSubmit } from '../lib/hooks';
import { FormError, TextArea } from './Field';

const WORDS = ['', 'Very poor', 'Poor', 'OK', 'Good', 'Excellent'];

export function RatingForm({ ticketId, onRated }: { ticketId: number; onRated: (r: Rating) => void }) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const { submit, busy, fields: errs, form: formErr } = useSubmit(async () => {
    if (!score) throw new ApiError(422, 'validation_failed', 'Choose from 1 to 5 stars', 'score');
    await post(`/tickets/${ticketId}/rating`, comment.trim() ? { score, comment: comment.trim() } : { score });
    onRated({ score, comment: comment.trim() || null, created_at: new Date().toISOString() });
  }, ['score', 'comment']);

  return (
    <form class="card rating" onSubmit={submit} noValidate>
      <fieldset class={errs.score ? 'has-error' : ''}>
        <legend>How did we do?</legend>
        <div class="stars" role="radiogroup" aria-label="Rating">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} class={n <= score ? 'star on' : 'star'} title={WORDS[n]}>
              <input type="radio" name="score" value={n} checked={score === n} onChange={() => setScore(n)} class="sr-only" />
              <span aria-hidden="true">★</span>
              <span class="sr-only">
                {n} – {WORDS[n]}
              </span>
            </label>
          ))}
          {score > 0 && <span class="muted">{WORDS[score]}</span>}
        </div>
        {errs.score && <div class="field-error" role="alert">{errs.score}</div>}
      </fieldset>
      <TextArea label="Comment (optional)" name="comment" rows={3} value={comment} onValue={setComment} error={errs.comment} />
      <FormError error={formErr} />
      <button class="btn primary" type="submit" disabled={busy}>
        {busy ? 'Sending…' : 'Send rating'}
      </button>
    </form>
  );
}

export function RatingShown({ rating }: { rating: Rating }) {
  return (
    <div class="card rating done">
      <p>
        You rated this <span class="stars-static" aria-label={`${rating.score} out of 5`}>{'★'.repeat(rating.score)}{'☆'.repeat(5 - rating.score)}</span>. Thank you!
      </p>
      {rating.comment && <blockquote>{rating.comment}</blockquote>}
    </div>
  );
}
