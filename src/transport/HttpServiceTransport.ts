import { ApiRequest } from "../protocol/requests";
import { classifyRequestError, HttpTransport, TransportResult } from "./HttpTransport";

/** The slice of HttpService this adapter uses (so tests can pass the emulated one, or a fake). */
export interface HttpServiceLike {
	RequestAsync(this: HttpServiceLike, options: RequestAsyncRequest): RequestAsyncResponse;
	JSONEncode(this: HttpServiceLike, value: unknown): string;
}

/**
 * The default transport: HttpService:RequestAsync under pcall, on its own thread. There is no
 * give-up timer: a request cannot be cancelled once sent (the HttpService page offers no way to), so
 * its reply is reported whenever it arrives, and only the engine's own failure of the request
 * (an `HttpError` such as `HttpError: Timedout`, or "Number of requests exceeded limit") ends it
 * without one.
 */
export class HttpServiceTransport implements HttpTransport {
	constructor(
		private readonly httpService: HttpServiceLike,
		/** Removes the API key from engine error texts before they are kept. */
		private readonly redact: (text: string) => string,
	) {}

	send(request: ApiRequest, done: (result: TransportResult) => void) {
		let detached = false;
		task.spawn(() => {
			const [ok, result] = pcall(() =>
				this.httpService.RequestAsync({
					Url: request.url,
					Method: request.method,
					Headers: request.headers,
					Body: this.httpService.JSONEncode(request.body),
				}),
			);
			if (detached) return;
			if (ok) {
				done({ kind: "response", status: result.StatusCode, body: result.Body, headers: result.Headers });
			} else {
				done({ kind: "failure", failure: classifyRequestError(this.redact(tostring(result))) });
			}
		});
		return () => {
			detached = true;
		};
	}
}
