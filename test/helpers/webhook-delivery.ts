// Delivers a webhook to a running bot over HTTP exactly as GitHub does: JSON body, X-GitHub-Event,
// X-GitHub-Delivery and an X-Hub-Signature-256 made with the webhook secret. Probot's middleware answers
// only after our handlers finished, so when this resolves the bot's work for the event is done.
import { createHmac, randomUUID } from 'node:crypto';
import { rawPost } from './bot-requests.js';
import { TEST_WEBHOOK_SECRET } from './probot-kit.js';

export async function deliverWebhook(
  botUrl: string,
  name: string,
  payload: Record<string, unknown>,
  secret = TEST_WEBHOOK_SECRET,
): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const answer = await rawPost(botUrl, '/api/github/webhooks', body, {
    'content-type': 'application/json',
    'x-github-event': name,
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': signature,
  });
  return { status: answer.status, text: answer.text };
}
