import { Clock } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { classifyRequestError, HttpTransport, TransportResult } from "./HttpTransport";

/** The slice of HttpService this adapter uses (so tests can pass the emulated one, or a fake). */
export interface HttpServiceLike {
	RequestAsync(this: HttpServiceLike, options: RequestAsyncRequest): RequestAsyncResponse;
	JSONEncode(this: HttpServiceLike, value: unknown): string;
}

/**
 * The default transport: HttpService:RequestAsync under pcall, on its own thread, with a timeout.
 * A reply that arrives after the timeout is dropped (the request still counted against the budget).
 */
export class HttpServiceTransport implements HttpTransport {
	constructor(
		private readonly httpService: HttpServiceLike,
		private readonly clock: Clock,
		private readonly timeoutSec: number,
		/** Removes the API key from engine error texts before they are kept. */
		private readonly redact: (text: string) => string,
	) {}

	send(request: ApiRequest, done: (result: TransportResult) => void) {
		let settled = false;
		const finish = (result: TransportResult) => {
			if (settled) return;
			settled = true;
			cancelTimeout();
			done(result);
		};
		const cancelTimeout = this.clock.delay(this.timeoutSec, () =>
			finish({ kind: "failure", failure: { kind: "Timeout", afterSec: this.timeoutSec } }),
		);
		task.spawn(() => {
			const [ok, result] = pcall(() =>
				this.httpService.RequestAsync({
					Url: request.url,
					Method: request.method,
					Headers: request.headers,
					Body: this.httpService.JSONEncode(request.body),
				}),
			);
			if (ok) {
				finish({ kind: "response", status: result.StatusCode, body: result.Body });
			} else {
				const failure = classifyRequestError(this.redact(tostring(result)));
				finish({
					kind: "failure",
					failure: failure.kind === "Timeout" ? { kind: "Timeout", afterSec: this.timeoutSec } : failure,
				});
			}
		});
		return () => {
			settled = true;
			cancelTimeout();
		};
	}
}
