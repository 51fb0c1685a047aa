import { HttpService } from "@rbxts/services";
import { baseUrlOf } from "./environments";
import { RequestBuilder } from "./requests";

export = () => {
	describe("base URLs", () => {
		it("maps each environment to its documented base URL", () => {
			expect(baseUrlOf({ environment: "dev" })).to.equal("https://wave-api.playwave.dev/v1");
			expect(baseUrlOf({ environment: "qa" })).to.equal("https://wave-api-qa.playwave.dev/v1");
			expect(baseUrlOf({ environment: "live" })).to.equal("https://wave-api.playwave.io/v1");
		});

		it("accepts a custom base URL and drops trailing slashes", () => {
			expect(baseUrlOf({ baseUrl: "http://127.0.0.1:8787/v1/" })).to.equal("http://127.0.0.1:8787/v1");
		});
	});

	describe("RequestBuilder", () => {
		const builder = new RequestBuilder({ environment: "dev" }, "key-123");

		it("builds verify as POST with the bare OTT and the UserId as a string", () => {
			const request = builder.verify("0b5e7d0e-6a4f-4c1b-9a53-2f9e8c1d7a10", 98765);
			expect(request.method).to.equal("POST");
			expect(request.url).to.equal("https://wave-api.playwave.dev/v1/game/session/verify");
			expect(request.headers["X-Api-Key"]).to.equal("key-123");
			expect(request.headers["Content-Type"]).to.equal("application/json");
			expect(request.body.ott).to.equal("0b5e7d0e-6a4f-4c1b-9a53-2f9e8c1d7a10");
			expect(request.body.provider_user_id).to.equal("98765");
			expect(typeOf(request.body.provider_user_id)).to.equal("string");
		});

		it("encodes large UserIds without exponent or decimals", () => {
			const request = builder.verify("x", 5000000123);
			expect(request.body.provider_user_id).to.equal("5000000123");
			expect(HttpService.JSONEncode(request.body).find('"provider_user_id":"5000000123"', 1, true)[0]).to.be.ok();
		});

		it("builds heartbeat as PATCH with session id and UserId", () => {
			const request = builder.heartbeat("gs_abc", 42);
			expect(request.method).to.equal("PATCH");
			expect(request.url).to.equal("https://wave-api.playwave.dev/v1/game/session/heartbeat");
			expect(request.body.game_session_id).to.equal("gs_abc");
			expect(request.body.provider_user_id).to.equal("42");
		});

		it("builds end as DELETE with a JSON body and whole seconds of play", () => {
			const request = builder.end("gs_abc", 1795.7);
			expect(request.method).to.equal("DELETE");
			expect(request.url).to.equal("https://wave-api.playwave.dev/v1/game/session/end");
			expect(request.body.game_session_id).to.equal("gs_abc");
			expect(request.body.play_duration_sec).to.equal(1795);
			expect(builder.end("gs_abc").body.play_duration_sec).to.equal(undefined);
		});
	});
};
