// What the AI browser tests set up: a category model trained from a small CSV through
// `parley ai train`, and the published article the AI answers password questions from.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../api/lib/server.mjs';
import { api } from './browser.mjs';

// a small category training set: the words of each class recur, so the model is sure
const TRAINING = {
  login: ['forgot my password', 'cannot sign in to my account', 'password reset email never came', 'locked out after a wrong password',
    'the sign in page rejects my password', 'reset my password please'],
  billing: ['charged twice this month', 'refund my last payment', 'the invoice amount is wrong', 'my card was billed again',
    'cancel the subscription and refund', 'question about my bill'],
  shipping: ['the parcel has not arrived', 'change my delivery address', 'the package is lost in transit', 'track my order shipment',
    'the courier never came', 'delivery is late again'],
};

/** Trains the category model on server and publishes "Reset your password" as admin ({cookie, csrf}). */
export async function setUpAi(server, admin) {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-ui-ai-'));
  try {
    const rows = ['text,label'];
    for (let i = 0; i < 3; i++) for (const [label, texts] of Object.entries(TRAINING)) for (const t of texts) rows.push(`"${t} ${i}",${label}`);
    writeFileSync(path.join(dir, 'category.csv'), `${rows.join('\n')}\n`);
    const trained = await runCli(server, ['ai', 'train', '--csv', path.join(dir, 'category.csv'), '--kind', 'category'], undefined, { timeoutMs: 60000 });
    assert.equal(trained.code, 0, trained.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const article = await api(server, 'POST', '/api/v1/kb/articles', {
    cookie: admin.cookie, csrf: admin.csrf,
    body: {
      title: 'Reset your password', status: 'published', tags: ['password', 'login'],
      body_markdown: '1. Open the sign-in page and choose **Forgot password**.\n2. Enter the email address of your account.\n'
        + '3. Follow the link in the email we send you to reset your password.',
    },
  });
  assert.equal(article.status, 201, article.text);
}
