import { HttpService } from "@rbxts/services";
import { redactor } from "../protocol/redact";
import { RequestBuilder } from "../protocol/requests";
import { ManualClock } from "../testing/ManualClock";
import { HttpServiceLike, HttpServiceTransport } from "./HttpServiceTransport";
import { classifyRequestError, TransportResult } from "./HttpTransport";

const KEY = "very-secret-key-42";
const request = new RequestBuilder({ baseUrl: "https://api.test/v1" }, KEY).heartbeat("gs_1", 7);

function fakeHttp(requestAsync: (options: RequestAsyncRequest) => RequestAsyncResponse): HttpServiceLike {
	return {
		RequestAsync(options: RequestAsyncRequest) {
			return requestAsync(options);
		},
		JSONEncode(value: unknown) {
			return HttpService.JSONEncode(value);
		},
	};
}

function send(http: HttpServiceLike, clock = new ManualClock()) {
	const results = new Array<TransportResult>();
	const transport = new HttpServiceTransport(http, redactor(KEY));
	transport.send(request, (result) => results.push(result));
	return { results, clock };
}

export = () => {
	describe("classifyRequestError", () => {
		it("recognises the engine's messages", () => {
			expect(classifyRequestError("Http requests are not enabled. Enable via game settings").kind).to.equal(
				"HttpDisabled",
			);
			expect(classifyRequestError("Number of requests exceeded limit").kind).to.equal("BudgetExceeded");
			expect(classifyRequestError("HttpError: Timedout").kind).to.equal("Timeout");
			const other = classifyRequestError("HttpError: ConnectFail");
			expect(other.kind).to.equal("NetworkError");
		});
	});

	describe("HttpServiceTransport", () => {
		it("sends method, URL, headers and a JSON body, and returns status and body", () => {
			let seen: RequestAsyncRequest | undefined;
			const { results } = send(
				fakeHttp((options) => {
					seen = options;
					return { Success: true, StatusCode: 200, StatusMessage: "OK", Headers: {}, Body: "{}" };
				}),
			);
			expect(seen!.Method).to.equal("PATCH");
			expect(seen!.Url).to.equal("https://api.test/v1/game/session/heartbeat");
			const headers = seen!.Headers as Record<string, string>;
			expect(headers["X-Api-Key"]).to.equal(KEY);
			expect(headers["Content-Type"]).to.equal("application/json");
			const body = HttpService.JSONDecode(seen!.Body!) as Record<string, unknown>;
			expect(body.game_session_id).to.equal("gs_1");
			expect(body.provider_user_id).to.equal("7");
			expect(results.size()).to.equal(1);
			const result = results[0];
			expect(result.kind === "response" && result.status).to.equal(200);
		});

		it("passes non-2xx statuses through as responses (RequestAsync does not throw for them)", () => {
			const { results } = send(
				fakeHttp(() => ({ Success: false, StatusCode: 410, StatusMessage: "Gone", Headers: {}, Body: "x" })),
			);
			const result = results[0];
			expect(result.kind === "response" && result.status).to.equal(410);
		});

		it("turns HTTP disabled and budget errors into typed failures", () => {
			const disabled = send(fakeHttp(() => error("Http requests are not enabled. Enable via game settings")))
				.results[0];
			expect(disabled.kind === "failure" && disabled.failure.kind).to.equal("HttpDisabled");
			const exceeded = send(fakeHttp(() => error("Number of requests exceeded limit"))).results[0];
			expect(exceeded.kind === "failure" && exceeded.failure.kind).to.equal("BudgetExceeded");
		});

		it("never keeps the API key from an engine error text", () => {
			const result = send(fakeHttp(() => error(`HttpError: ConnectFail while sending ${KEY}`))).results[0];
			expect(result.kind === "failure" && result.failure.kind).to.equal("NetworkError");
			const detail =
				result.kind === "failure" && result.failure.kind === "NetworkError" ? result.failure.detail : "";
			expect(detail.find(KEY, 1, true)[0]).never.to.be.ok();
		});

		it("never gives up on a request itself: a reply after 70 s is delivered, once", () => {
			// Replaces the old "times out at 10 s and drops the late reply": an HttpService request cannot
			// be cancelled, so its reply must count whenever it arrives.
			let resume: thread | undefined;
			const { results, clock } = send(
				fakeHttp(() => {
					resume = coroutine.running();
					coroutine.yield();
					return {
						Success: true,
						StatusCode: 200,
						StatusMessage: "OK",
						Headers: { "retry-after": "7" },
						Body: "{}",
					};
				}),
			);
			clock.advance(70);
			expect(results.size()).to.equal(0);
			expect(clock.pendingCount()).to.equal(0);
			coroutine.resume(resume!);
			expect(results.size()).to.equal(1);
			const result = results[0];
			expect(result.kind === "response" && result.status).to.equal(200);
			expect(result.kind === "response" && result.headers?.["retry-after"]).to.equal("7");
		});

		it("the engine's own time-out ends the request as a Timeout failure", () => {
			const result = send(fakeHttp(() => error("HttpError: Timedout"))).results[0];
			expect(result.kind === "failure" && result.failure.kind).to.equal("Timeout");
		});
	});
};
