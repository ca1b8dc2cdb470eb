/**
 * API failures as one error type the UI can show: RFC 9457 problem details when the API sent them, a network error
 * when the request never got an answer.
 */

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the request got no response at all. */
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly fieldErrors: FieldError[] = [],
    /** The API's X-Request-Id, to quote when reporting a problem. */
    readonly requestId: string | undefined = undefined,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }

  /** Worth retrying the same request (with the same Idempotency-Key): no answer, or the API was briefly unavailable. */
  get isTransient(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

interface ProblemBody {
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
}

/** Builds the ApiError for a non-2xx response from its (already parsed) body. */
export function problemToError(response: Response, body: unknown): ApiError {
  const problem: ProblemBody = typeof body === 'object' && body !== null ? (body as ProblemBody) : {};
  const title = typeof problem.title === 'string' ? problem.title : response.statusText || `HTTP ${response.status}`;
  const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
  const fieldErrors = Array.isArray(problem.errors)
    ? problem.errors.filter((e): e is FieldError => typeof e?.field === 'string' && typeof e?.message === 'string')
    : [];
  return new ApiError(response.status, title, detail, fieldErrors, response.headers.get('X-Request-Id') ?? undefined);
}

/**
 * Unwraps an openapi-fetch result: the data on success, an ApiError otherwise. Network failures (fetch rejects) are
 * turned into status-0 ApiErrors by `call`.
 */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The server could not be reached', error instanceof Error ? error.message : undefined);
  }
  if (!result.response.ok) throw problemToError(result.response, result.error);
  return result.data as T;
}

/** What the user reads for an error: the problem's detail plus each field's message. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.fieldErrors.map((f) => `${f.field}: ${f.message}`);
    const base =
      error.status === 412 ? 'Someone else changed this first; the latest version is shown now.' : error.message;
    return [base, ...fields].join(' — ');
  }
  return error instanceof Error ? error.message : String(error);
}
