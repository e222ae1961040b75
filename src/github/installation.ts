// Which installation of the app serves a repo. Asked with the app's own (JWT) client, before any
// installation client or port exists for that repo; the bot caches the answer.

/** The slice of Probot's app-authenticated Octokit this needs. */
export interface AppClient {
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown }>;
}

/** The installation id, or undefined when the app is not installed on the repo (GitHub answers 404). */
export async function findInstallationId(
  client: AppClient,
  owner: string,
  repo: string,
): Promise<number | undefined> {
  try {
    const res = await client.request('GET /repos/{owner}/{repo}/installation', { owner, repo });
    const data = res.data as { id?: unknown };
    return typeof data.id === 'number' ? data.id : undefined;
  } catch (thrown: unknown) {
    if ((thrown as { status?: unknown } | null)?.status === 404) return undefined;
    throw thrown;
  }
}
