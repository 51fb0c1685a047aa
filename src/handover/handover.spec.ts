import { FakeHandoverStore } from "../testing/FakeHandoverStore";
import { ManualClock } from "../testing/ManualClock";
import { decodeRecord, encodeRecord, Handover, HANDOVER_EXPIRATION_SEC, handoverKey } from "./handover";
import { expectBelow } from "../testing/expect";

const SESSION = "gs_11111111-2222-4333-8444-555555555555";

function setup() {
	const clock = new ManualClock();
	const store = new FakeHandoverStore(clock);
	return { clock, store, handover: new Handover(store) };
}

export = () => {
	describe("hand-over record", () => {
		it("is small, keyed by UserId, and read back only when it has the exact shape", () => {
			const record = {
				gameSessionId: SESSION,
				userId: 1234567,
				isPcCafe: false,
				preparedAt: 1_700_000_000.5,
				state: "prepared" as const,
			};
			const stored = encodeRecord(record);
			const size = game.GetService("HttpService").JSONEncode(stored).size();
			expectBelow(size, 200);
			expect(handoverKey(1234567)).to.equal("u1234567");
			const back = decodeRecord(stored)!;
			expect(back.gameSessionId).to.equal(SESSION);
			expect(back.isPcCafe).to.equal(false);
			expect(decodeRecord({ ...stored, pc: "yes" })).to.equal(undefined);
			expect(decodeRecord({ ...stored, s: "gs_1 2" })).to.equal(undefined);
			expect(decodeRecord({ ...stored, extra: 1 })).to.equal(undefined);
			expect(decodeRecord("gs_1")).to.equal(undefined);
		});
	});

	describe("Handover", () => {
		it("a claim succeeds once, for the record's own UserId, and carries the origin's PC-cafe status", () => {
			const { handover } = setup();
			expect(handover.prepare(7, SESSION, false, 1).ok).to.equal(true);
			expect(handover.claim(8).kind).to.equal("unavailable");
			const claim = handover.claim(7);
			expect(claim.kind).to.equal("claimed");
			expect(claim.kind === "claimed" && claim.record.isPcCafe).to.equal(false);
			const again = handover.claim(7);
			expect(again.kind === "unavailable" && again.state).to.equal("claimed");
			expect(handover.check(7, SESSION)).to.equal("claimed");
		});

		it("abandon and claim exclude each other: whichever comes first wins", () => {
			const { handover } = setup();
			handover.prepare(7, SESSION, true, 1);
			expect(handover.abandon(7, SESSION)).to.equal("abandoned");
			const late = handover.claim(7);
			expect(late.kind === "unavailable" && late.state).to.equal("abandoned");
			handover.prepare(9, SESSION, true, 1);
			expect(handover.claim(9).kind).to.equal("claimed");
			expect(handover.abandon(9, SESSION)).to.equal("claimed");
		});

		it("a record that expired is missing; a failing store is reported, never thrown", () => {
			const { clock, store, handover } = setup();
			handover.prepare(7, SESSION, true, 1);
			clock.advance(HANDOVER_EXPIRATION_SEC + 1);
			expect(handover.check(7, SESSION)).to.equal("missing");
			expect(handover.claim(7).kind).to.equal("unavailable");
			store.down = true;
			expect(handover.prepare(7, SESSION, true, 1).ok).to.equal(false);
			expect(handover.claim(7).kind).to.equal("failed");
			const check = handover.check(7, SESSION);
			expect(typeIs(check, "table")).to.equal(true);
		});

		it("a forged record under the key (another UserId, a bad id) is never claimed", () => {
			const { store, handover } = setup();
			store.poke(handoverKey(7), { v: 1, s: SESSION, u: 8, pc: true, at: 1, st: "prepared" });
			expect(handover.claim(7).kind).to.equal("unavailable");
			store.poke(handoverKey(7), { v: 1, s: "x y", u: 7, pc: true, at: 1, st: "prepared" });
			expect(handover.claim(7).kind).to.equal("unavailable");
		});
	});
};
