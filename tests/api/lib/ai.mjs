// Shared set-up for the AI tests (tests/api/ai*.test.mjs): labelled examples and training a
// model from them with `parley ai train --csv`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './server.mjs';

/** Category examples: billing, login, bug. */
export const CATEGORY = {
  billing: ['I was charged twice on my invoice', 'please refund my payment', 'my credit card was billed the wrong amount',
    'question about the charges on my bill', 'the invoice total is wrong', 'cancel my subscription and refund me'],
  login: ['I cannot log in to my account', 'the password reset link does not work', 'locked out of my account after sign in attempts',
    'the two factor code is not accepted at login', 'forgot my password and username', 'sign in page says wrong password'],
  bug: ['the app crashes when I open it', 'error 500 when saving the form', 'the button does nothing, the page is broken',
    'export fails with an exception', 'the screen freezes after the update', 'the report shows a stack trace'],
};

/** A CSV (text,label) of classes {label: [texts]}, each text repeated copies times with a suffix. */
export function csv(classes, copies = 3) {
  const rows = ['text,label'];
  for (let i = 0; i < copies; i++) {
    for (const [label, texts] of Object.entries(classes)) {
      for (const t of texts) rows.push(`"${t.replace(/"/g, '""')}${i ? ` (${i})` : ''}",${label}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

/** Writes text to DIR/KIND.csv and runs `parley ai train` on it; resolves {code, stdout, stderr}. */
export function train(server, dir, kind, text) {
  const file = path.join(dir, `${kind}.csv`);
  writeFileSync(file, text);
  return runCli(server, ['ai', 'train', '--csv', file, '--kind', kind], undefined, { timeoutMs: 60000 });
}
