import { HttpService } from "@rbxts/services";
import { Envelope } from "../testing/FakeTransport";
import { jsonDecoderFrom } from "../transport/json";
import { describeFailure, isTransient, mayHaveActed } from "./outcomes";
import { redactor } from "./redact";
import { RawResponse, ResponseParser } from "./responses";

const KEY = "secret-key-abc123";
const warnings = new Array<string>();
const parser = new ResponseParser(jsonDecoderFrom(HttpService), redactor(KEY), undefined, (key, message) => {
	if (!warnings.includes(`${key}|${message}`)) warnings.push(`${key}|${message}`);
});
const HTML = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";

function raw(status: number, body: string): RawResponse {
	return { status, body };
}

export = () => {
	describe("verify responses", () => {
		it("200 is_valid=true: verified with the session id and is_pc_cafe", () => {
			const outcome = parser.parseVerify(
				Envelope.ok({ is_valid: true, game_session_id: "gs_1", is_pc_cafe: true }),
			);
			expect(outcome.kind).to.equal("Verified");
			expect(outcome.kind === "Verified" && outcome.gameSessionId).to.equal("gs_1");
			expect(outcome.kind === "Verified" && outcome.isPcCafe).to.equal(true);
		});

		it("honours is_pc_cafe = false", () => {
			const outcome = parser.parseVerify(
				Envelope.ok({ is_valid: true, game_session_id: "gs_1", is_pc_cafe: false }),
			);
			expect(outcome.kind === "Verified" && outcome.isPcCafe).to.equal(false);
		});

		for (const reason of ["OTT_EXPIRED", "OTT_ALREADY_USED", "GAME_MISMATCH", "NOT_CHARGEABLE"]) {
			it(`200 is_valid=false ${reason}: rejected with that reason`, () => {
				const outcome = parser.parseVerify(Envelope.ok({ is_valid: false, reason }));
				expect(outcome.kind).to.equal("Rejected");
				expect(outcome.kind === "Rejected" && outcome.reason).to.equal(reason);
			});
		}

		it("an unknown reason is malformed, not a rejection", () => {
			const outcome = parser.parseVerify(Envelope.ok({ is_valid: false, reason: "BANNED_FOREVER" }));
			expect(outcome.kind).to.equal("Malformed");
			expect(outcome.kind === "Malformed" && outcome.excerpt).to.equal("BANNED_FOREVER");
		});

		it("names the missing or mistyped field in the detail", () => {
			const outcome = parser.parseVerify(Envelope.ok({ is_valid: true, is_pc_cafe: true }));
			expect(outcome.kind === "Malformed" && outcome.detail).to.equal(
				"verify data.game_session_id: expected a string, got nil",
			);
		});

		it("missing or mistyped fields are malformed", () => {
			expect(parser.parseVerify(Envelope.ok({ is_valid: true, is_pc_cafe: true })).kind).to.equal("Malformed");
			expect(
				parser.parseVerify(Envelope.ok({ is_valid: true, game_session_id: 5, is_pc_cafe: true })).kind,
			).to.equal("Malformed");
			expect(
				parser.parseVerify(Envelope.ok({ is_valid: true, game_session_id: "gs_1", is_pc_cafe: "yes" })).kind,
			).to.equal("Malformed");
			expect(parser.parseVerify(Envelope.ok({ is_valid: "true" })).kind).to.equal("Malformed");
			expect(
				parser.parseVerify(Envelope.ok({ is_valid: true, game_session_id: "", is_pc_cafe: true })).kind,
			).to.equal("Malformed");
			// The one session-id rule (also used at hand-over and resume): no spaces, at most 128 characters.
			for (const id of ["gs_1 2", "x".rep(129)]) {
				expect(
					parser.parseVerify(Envelope.ok({ is_valid: true, game_session_id: id, is_pc_cafe: true })).kind,
				).to.equal("Malformed");
			}
			expect(
				parser.parseVerify(Envelope.ok({ is_valid: true, game_session_id: "sess-42:eu", is_pc_cafe: true }))
					.kind,
			).to.equal("Verified");
		});

		it("a body that is not JSON is malformed with an excerpt", () => {
			const outcome = parser.parseVerify(raw(200, "OK then"));
			expect(outcome.kind).to.equal("Malformed");
			expect(outcome.kind === "Malformed" && outcome.excerpt).to.equal("OK then");
		});

		it("200 with success: false is malformed, never a silent OK", () => {
			const body = HttpService.JSONEncode({ success: false, error: { code: "WEIRD", message: "m" } });
			const outcome = parser.parseVerify(raw(200, body));
			expect(outcome.kind).to.equal("Malformed");
			expect(outcome.kind === "Malformed" && outcome.excerpt).to.equal("WEIRD");
		});

		it("200 without data is malformed", () => {
			expect(parser.parseVerify(raw(200, '{"success":true}')).kind).to.equal("Malformed");
			expect(parser.parseVerify(raw(200, "[]")).kind).to.equal("Malformed");
		});

		it("maps the common error statuses", () => {
			expect(parser.parseVerify(Envelope.error(400, "BAD_REQUEST", "ott must be a uuid")).kind).to.equal(
				"BadRequest",
			);
			const unauthorized = parser.parseVerify(Envelope.error(401, "INVALID_API_KEY", "game inactive"));
			expect(unauthorized.kind).to.equal("InvalidApiKey");
			expect(unauthorized.kind === "InvalidApiKey" && unauthorized.message).to.equal("game inactive");
			expect(parser.parseVerify(Envelope.error(429, "RATE_LIMITED")).kind).to.equal("RateLimited");
			const serverError = parser.parseVerify(Envelope.error(500, "INTERNAL_ERROR"));
			expect(serverError.kind).to.equal("ServerError");
			expect(serverError.kind === "ServerError" && serverError.code).to.equal("INTERNAL_ERROR");
		});

		it("an HTML error page from a proxy is a server error for 5xx and unexpected otherwise", () => {
			const bad = parser.parseVerify(raw(502, HTML));
			expect(bad.kind).to.equal("ServerError");
			const teapot = parser.parseVerify(raw(418, HTML));
			expect(teapot.kind).to.equal("UnexpectedStatus");
			expect(teapot.kind === "UnexpectedStatus" && teapot.excerpt!.find("Bad Gateway", 1, true)[0]).to.be.ok();
		});

		it("never keeps the API key from a server message, and describes 401/403/400 by lengths only", () => {
			const outcome = parser.parseVerify(Envelope.error(401, "INVALID_API_KEY", `bad key ${KEY}`));
			expect(outcome.kind === "InvalidApiKey" && outcome.message.find(KEY, 1, true)[0]).never.to.be.ok();
			const text = describeFailure(outcome as never);
			expect(text.find(KEY, 1, true)[0]).never.to.be.ok();
			expect(describeFailure(outcome as never, true).find("[redacted]", 1, true)[0]).to.be.ok();
			// The key may be a Secret, which cannot be redacted: the server's text is never printed at all.
			expect(text.find("bad key", 1, true)[0]).never.to.be.ok();
			expect(text).to.equal("401 INVALID_API_KEY (server text of 18 characters, shown masked with debug)");
			const forbidden = parser.parseHeartbeat(Envelope.error(403, "FORBIDDEN", "echo"));
			expect(forbidden.kind).to.equal("InvalidApiKey");
			const badRequest = parser.parseHeartbeat(Envelope.error(400, "BAD_REQUEST", "echo"));
			expect(describeFailure(badRequest as never)).to.equal(
				"400 BAD_REQUEST (server text of 4 characters, shown masked with debug)",
			);
		});

		it("with a Secret (nothing to redact) server text is printed only as a length, or masked with debug", () => {
			const secretParser = new ResponseParser(jsonDecoderFrom(HttpService));
			const key = "pw_live_8f3a9c2d4e5b6a7f8091a2b3c4d5e6f7";
			const outcomes = [
				secretParser.parseVerify(Envelope.error(401, "INVALID_API_KEY", `bad key ${key}`)),
				secretParser.parseVerify(Envelope.error(400, "BAD_REQUEST", `header ${key}`)),
				secretParser.parseVerify(raw(200, `<html>${key}</html>`)),
				secretParser.parseVerify(Envelope.ok({ is_valid: false, reason: key })),
				secretParser.parseVerify(Envelope.error(418, key, key)),
				secretParser.parseVerify(Envelope.error(503, key, key)),
			];
			for (const outcome of outcomes) {
				for (const verbose of [false, true]) {
					const text = describeFailure(outcome as never, verbose);
					expect(text.find(key, 1, true)[0]).never.to.be.ok();
					expect(text.find("pw_live_8f3a", 1, true)[0]).never.to.be.ok();
				}
			}
			expect(describeFailure(outcomes[0] as never)).to.equal(
				"401 INVALID_API_KEY (server text of 48 characters, shown masked with debug)",
			);
			expect(describeFailure(outcomes[0] as never, true)).to.equal(
				"401 INVALID_API_KEY: bad key [masked 40 chars]",
			);
		});
	});

	describe("heartbeat responses", () => {
		it("OK with next_heartbeat_in and the server's play time", () => {
			const outcome = parser.parseHeartbeat(
				Envelope.ok({ result: "OK", next_heartbeat_in: 90, play_duration_sec: 600 }),
			);
			expect(outcome.kind).to.equal("Ok");
			expect(outcome.kind === "Ok" && outcome.nextHeartbeatInSec).to.equal(90);
			expect(outcome.kind === "Ok" && outcome.playDurationSec).to.equal(600);
		});

		it("CHARGE_EXHAUSTED and SESSION_REPLACED", () => {
			expect(
				parser.parseHeartbeat(
					Envelope.ok({ result: "CHARGE_EXHAUSTED", next_heartbeat_in: 60, play_duration_sec: 1 }),
				).kind,
			).to.equal("ChargeExhausted");
			expect(
				parser.parseHeartbeat(Envelope.ok({ result: "SESSION_REPLACED", play_duration_sec: 1 })).kind,
			).to.equal("SessionReplaced");
		});

		it("a missing, zero, negative, huge or non-numeric next_heartbeat_in becomes the default 120", () => {
			for (const value of [undefined, 0, -5, 1e9, "abc"]) {
				const outcome = parser.parseHeartbeat(Envelope.ok({ result: "OK", next_heartbeat_in: value }));
				expect(outcome.kind === "Ok" && outcome.nextHeartbeatInSec).to.equal(120);
			}
		});

		// Replaces "an unknown result is malformed": a 200 with success: true is an accepted heartbeat.
		it("an unknown result is an accepted heartbeat (OK), warned once per distinct value", () => {
			warnings.clear();
			for (let i = 0; i < 3; i++) {
				const outcome = parser.parseHeartbeat(Envelope.ok({ result: "PAUSED", next_heartbeat_in: 90 }));
				expect(outcome.kind).to.equal("Ok");
				expect(outcome.kind === "Ok" && outcome.nextHeartbeatInSec).to.equal(90);
			}
			expect(parser.parseHeartbeat(Envelope.ok({ result: "THROTTLED" })).kind).to.equal("Ok");
			expect(parser.parseHeartbeat(Envelope.ok({ result: 5 })).kind).to.equal("Ok");
			expect(parser.parseHeartbeat(Envelope.ok({})).kind).to.equal("Ok");
			const said = warnings.filter((line) => line.find("heartbeat.result", 1, true)[0] !== undefined);
			expect(said.size()).to.equal(4);
			expect(said[0].find('"PAUSED"', 1, true)[0]).to.be.ok();
		});

		it("a result that is not a code is shown by its length only (server text might echo the key)", () => {
			warnings.clear();
			expect(parser.parseHeartbeat(Envelope.ok({ result: `weird ${KEY}` })).kind).to.equal("Ok");
			expect(warnings.size()).to.equal(1);
			expect(warnings[0].find(KEY, 1, true)[0]).never.to.be.ok();
			expect(warnings[0].find("23-character string", 1, true)[0]).to.be.ok();
		});

		// Replaces "a mistyped play_duration_sec is malformed".
		it("a mistyped play_duration_sec or next_heartbeat_in falls back to the default, warned once", () => {
			warnings.clear();
			for (let i = 0; i < 2; i++) {
				const outcome = parser.parseHeartbeat(
					Envelope.ok({ result: "OK", play_duration_sec: "10", next_heartbeat_in: "soon" }),
				);
				expect(outcome.kind).to.equal("Ok");
				expect(outcome.kind === "Ok" && outcome.playDurationSec).to.equal(undefined);
				expect(outcome.kind === "Ok" && outcome.nextHeartbeatInSec).to.equal(120);
			}
			expect(warnings.size()).to.equal(2);
			// A missing next_heartbeat_in is normal (the default applies) and is not warned about.
			warnings.clear();
			parser.parseHeartbeat(Envelope.ok({ result: "OK" }));
			expect(warnings.size()).to.equal(0);
		});

		it("success: false on a 200 is still not an accepted heartbeat", () => {
			const body = '{"success":false,"error":{"code":"X","message":"m"}}';
			expect(parser.parseHeartbeat(raw(200, body)).kind).to.equal("Malformed");
		});

		it("404 SESSION_NOT_FOUND, 410 SESSION_ENDED and 410 SESSION_ENDING: the session is lost with its code", () => {
			for (const [status, code] of [
				[404, "SESSION_NOT_FOUND"],
				[410, "SESSION_ENDED"],
				[410, "SESSION_ENDING"],
			] as const) {
				const outcome = parser.parseHeartbeat(Envelope.error(status, code));
				expect(outcome.kind).to.equal("SessionLost");
				expect(outcome.kind === "SessionLost" && outcome.code).to.equal(code);
			}
		});

		it("a 404 or 410 that is not the documented error (a proxy page, another code) is not trusted", () => {
			expect(parser.parseHeartbeat(raw(404, HTML)).kind).to.equal("Malformed");
			expect(parser.parseHeartbeat(Envelope.error(410, "SESSION_ENDED_SOMEHOW")).kind).to.equal(
				"UnexpectedStatus",
			);
			expect(parser.parseHeartbeat(Envelope.error(404, "SESSION_ENDED")).kind).to.equal("UnexpectedStatus");
		});

		it("5xx and network trouble are transient; 401 is not", () => {
			const serverError = parser.parseHeartbeat(raw(503, HTML));
			expect(serverError.kind).to.equal("ServerError");
			expect(isTransient(serverError as never)).to.equal(true);
			expect(isTransient(parser.parseHeartbeat(Envelope.error(401, "INVALID_API_KEY")) as never)).to.equal(false);
		});
	});

	describe("end responses", () => {
		it("SUCCESS with the server's and the echoed client play time", () => {
			const outcome = parser.parseEnd(
				Envelope.ok({ result: "SUCCESS", play_duration_sec: 1800, client_play_duration_sec: 1795 }),
			);
			expect(outcome.kind).to.equal("Ended");
			expect(outcome.kind === "Ended" && outcome.playDurationSec).to.equal(1800);
			expect(outcome.kind === "Ended" && outcome.clientPlayDurationSec).to.equal(1795);
		});

		it("client_play_duration_sec may be null", () => {
			const outcome = parser.parseEnd(
				raw(
					200,
					'{"success":true,"request_id":"r","data":{"result":"SUCCESS","play_duration_sec":5,"client_play_duration_sec":null}}',
				),
			);
			expect(outcome.kind).to.equal("Ended");
			expect(outcome.kind === "Ended" && outcome.clientPlayDurationSec).to.equal(undefined);
		});

		it("404 SESSION_NOT_FOUND and 409 ALREADY_ENDED mean already gone", () => {
			const notFound = parser.parseEnd(Envelope.error(404, "SESSION_NOT_FOUND"));
			expect(notFound.kind === "AlreadyGone" && notFound.code).to.equal("SESSION_NOT_FOUND");
			const ended = parser.parseEnd(Envelope.error(409, "ALREADY_ENDED"));
			expect(ended.kind === "AlreadyGone" && ended.code).to.equal("ALREADY_ENDED");
		});

		// Replaces "an unknown result is malformed": success: true on a 200 means the end was accepted.
		it("an unknown result on a 200 success is an accepted end, warned once", () => {
			warnings.clear();
			expect(parser.parseEnd(Envelope.ok({ result: "MAYBE" })).kind).to.equal("Ended");
			expect(parser.parseEnd(Envelope.ok({ result: "MAYBE", play_duration_sec: "x" })).kind).to.equal("Ended");
			expect(warnings.size()).to.equal(2);
		});
	});

	describe("failure classification", () => {
		it("knows which failures may have consumed a token", () => {
			expect(mayHaveActed({ kind: "Timeout", detail: "HttpError: Timedout" })).to.equal(true);
			expect(mayHaveActed({ kind: "NetworkError", detail: "reset" })).to.equal(true);
			expect(mayHaveActed({ kind: "ServerError", status: 500 })).to.equal(true);
			expect(mayHaveActed({ kind: "RateLimited", status: 429 })).to.equal(false);
			expect(mayHaveActed({ kind: "HttpDisabled" })).to.equal(false);
			expect(mayHaveActed({ kind: "BudgetExceeded", detail: "x" })).to.equal(false);
		});
	});
};
