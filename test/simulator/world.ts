import type { IdSource } from "./ids";
import type { EndReason, HeartbeatResult, Timing, VerifyRejection } from "./protocol";

/**
 * The PlayWave back end as a discrete-event model: wallets, launchers, OTTs and game sessions.
 *
 * Nothing runs on timers. Every public method first settles the model up to `now`, applying in
 * time order each transition that has fallen due since the last call (launcher death, session TTL,
 * balance exhaustion, end of grace, end of termination), and charging play time in between.
 * The same sequence of calls at the same clock readings therefore always gives the same result.
 */

/** `auto`: the launcher beats on its own until killed. `manual`: the test must call `launcherHeartbeat`. */
export type LauncherMode = "auto" | "manual";

export type SessionPhase =
	| { kind: "active" }
	| { kind: "charge_exhausted"; since: number }
	| { kind: "ending"; since: number }
	| { kind: "ended"; by: "ended_by_game" | "charge_exhausted" | "launcher_dead"; at: number }
	| { kind: "replaced"; at: number; by: string }
	| { kind: "expired"; at: number };

export type SessionState = SessionPhase["kind"];

/** One game session as the ledger shows it. Times are clock readings in seconds. */
export interface SessionRecord {
	gameSessionId: string;
	gameId: string;
	/** The PlayWave account (wallet) the OTT was issued for. */
	userId: string;
	/** The Roblox UserId the game server sent at verify. */
	providerUserId: string;
	pcId: string;
	isPcCafe: boolean;
	ott: string;
	state: SessionState;
	startedAt: number;
	lastHeartbeatAt: number;
	/** When play stopped for good (for a TTL expiry: the last heartbeat); null while live or terminating. */
	endedAt: number | null;
	endedBy: EndReason | null;
	/** When the server noticed the end (for a TTL expiry: last heartbeat + TTL). */
	closedAt: number | null;
	/** Seconds charged to the wallet. */
	billedSec: number;
	/** The server's authoritative play time (what heartbeat and end report, before flooring). */
	playDurationSec: number;
	clientPlayDurationSec: number | null;
	replacedBy: string | null;
	requests: { heartbeat: number; end: number };
	/** Calls the protocol tells an SDK not to make (e.g. `end_after_replaced`). */
	violations: string[];
}

export interface OttRecord {
	ott: string;
	gameId: string;
	userId: string;
	pcId: string;
	isPcCafe: boolean;
	issuedAt: number;
	usedAt: number | null;
	gameSessionId: string | null;
}

export type VerifyOutcome =
	{ valid: true; gameSessionId: string; isPcCafe: boolean } | { valid: false; reason: VerifyRejection };

export type HeartbeatOutcome =
	| { kind: "result"; result: HeartbeatResult; playDurationSec: number; gameSessionId: string }
	| { kind: "error"; code: "SESSION_NOT_FOUND" | "SESSION_ENDED" | "SESSION_ENDING"; gameSessionId?: string };

export type EndOutcome =
	| { kind: "success"; playDurationSec: number; clientPlayDurationSec: number | null; gameSessionId: string }
	| { kind: "error"; code: "SESSION_NOT_FOUND" | "ALREADY_ENDED"; gameSessionId?: string };

export interface IssueOttInput {
	userId: string;
	pcId: string;
	gameId: string;
	isPcCafe: boolean;
	/** Sets the account's balance (seconds of play); omitted keeps the current balance (0 for a new account). */
	balanceSec?: number;
	launcher?: LauncherMode;
}

interface Wallet {
	balanceSec: number;
}

interface Pc {
	mode: LauncherMode;
	killed: boolean;
	lastBeatAt: number;
	deadAt: number | null;
}

interface Session {
	id: string;
	gameId: string;
	userId: string;
	providerUserId: string;
	pcId: string;
	isPcCafe: boolean;
	ott: string;
	startedAt: number;
	lastHeartbeatAt: number;
	billedSec: number;
	billedAtLastHeartbeat: number;
	playEndAt: number | null;
	clientPlayDurationSec: number | null;
	phase: SessionPhase;
	requests: { heartbeat: number; end: number };
	violations: string[];
	/** The terminal answer already given to a heartbeat, so later heartbeats count as violations. */
	terminalReply: string | null;
}

interface DueEvent {
	time: number;
	rank: number;
	apply: () => void;
}

export class World {
	private t = -Infinity;
	private readonly wallets = new Map<string, Wallet>();
	private readonly pcs = new Map<string, Pc>();
	private readonly otts = new Map<string, OttRecord>();
	private readonly sessions = new Map<string, Session>();
	/** Sessions that can still change on their own (active, charge_exhausted, ending). */
	private readonly live = new Set<Session>();

	constructor(
		private readonly timing: () => Readonly<Timing>,
		private readonly ids: IdSource,
		private readonly defaultLauncherMode: () => LauncherMode,
	) {}

	// ---- launcher side -------------------------------------------------------------------------

	issueOtt(now: number, input: IssueOttInput): string {
		this.settle(now);
		if (input.balanceSec !== undefined) this.setBalance(now, input.userId, input.balanceSec);
		else if (!this.wallets.has(input.userId)) this.wallets.set(input.userId, { balanceSec: 0 });
		// Issuing a token is proof the launcher is running.
		const pc = this.pcs.get(input.pcId);
		const mode = input.launcher ?? pc?.mode ?? this.defaultLauncherMode();
		this.pcs.set(input.pcId, { mode, killed: false, lastBeatAt: this.t, deadAt: null });
		const ott = this.ids.uuid();
		this.otts.set(ott, {
			ott,
			gameId: input.gameId,
			userId: input.userId,
			pcId: input.pcId,
			isPcCafe: input.isPcCafe,
			issuedAt: this.t,
			usedAt: null,
			gameSessionId: null,
		});
		return ott;
	}

	/** The launcher on `pcId` reports in. A beat from a killed launcher means it was restarted. */
	launcherHeartbeat(now: number, pcId: string): void {
		this.settle(now);
		const pc = this.pcOrThrow(pcId);
		pc.lastBeatAt = this.t;
		pc.killed = false;
		pc.deadAt = null;
	}

	/** The launcher on `pcId` crashes or is force-closed now; its sessions end once it has been silent long enough. */
	killLauncher(now: number, pcId: string): void {
		this.settle(now);
		const pc = this.pcOrThrow(pcId);
		if (pc.killed || pc.deadAt !== null) return;
		if (pc.mode === "auto") pc.lastBeatAt = this.t;
		pc.killed = true;
	}

	launcherAlive(now: number, pcId: string): boolean {
		this.settle(now);
		return this.pcOrThrow(pcId).deadAt === null;
	}

	addBalance(now: number, userId: string, seconds: number): number {
		this.settle(now);
		const wallet = this.wallet(userId);
		if (seconds >= 0) this.credit(userId, seconds);
		else wallet.balanceSec = Math.max(0, wallet.balanceSec + seconds);
		return wallet.balanceSec;
	}

	setBalance(now: number, userId: string, seconds: number): void {
		this.settle(now);
		if (!(seconds >= 0)) throw new RangeError(`balance must be a non-negative number, got ${seconds}`);
		const wallet = this.wallet(userId);
		wallet.balanceSec = 0;
		this.credit(userId, seconds);
	}

	balance(now: number, userId: string): number {
		this.settle(now);
		return this.wallets.get(userId)?.balanceSec ?? 0;
	}

	// ---- the three endpoints ---------------------------------------------------------------------

	verify(now: number, gameId: string, ottId: string, providerUserId: string): VerifyOutcome {
		this.settle(now);
		const ott = this.otts.get(ottId);
		// An unknown token is indistinguishable from one already purged after expiry.
		if (ott === undefined) return { valid: false, reason: "OTT_EXPIRED" };
		if (ott.usedAt !== null) return { valid: false, reason: "OTT_ALREADY_USED" };
		if (this.t - ott.issuedAt >= this.timing().ottTtlSec) return { valid: false, reason: "OTT_EXPIRED" };
		if (ott.gameId !== gameId) return { valid: false, reason: "GAME_MISMATCH" };
		if (!(this.wallet(ott.userId).balanceSec > 0)) return { valid: false, reason: "NOT_CHARGEABLE" };

		const id = `gs_${this.ids.uuid()}`;
		ott.usedAt = this.t;
		ott.gameSessionId = id;
		// One PC runs one game session: a new one replaces whatever is still billing there.
		for (const old of [...this.live]) {
			if (old.pcId !== ott.pcId) continue;
			if (old.phase.kind !== "active" && old.phase.kind !== "charge_exhausted") continue;
			this.close(old, { kind: "replaced", at: this.t, by: id }, this.t);
		}
		const session: Session = {
			id,
			gameId,
			userId: ott.userId,
			providerUserId,
			pcId: ott.pcId,
			isPcCafe: ott.isPcCafe,
			ott: ott.ott,
			startedAt: this.t,
			lastHeartbeatAt: this.t,
			billedSec: 0,
			billedAtLastHeartbeat: 0,
			playEndAt: null,
			clientPlayDurationSec: null,
			phase: { kind: "active" },
			requests: { heartbeat: 0, end: 0 },
			violations: [],
			terminalReply: null,
		};
		this.sessions.set(id, session);
		this.live.add(session);
		return { valid: true, gameSessionId: id, isPcCafe: ott.isPcCafe };
	}

	heartbeat(now: number, gameSessionId: string, providerUserId: string): HeartbeatOutcome {
		this.settle(now);
		const s = this.sessions.get(gameSessionId);
		if (s === undefined) return { kind: "error", code: "SESSION_NOT_FOUND" };
		s.requests.heartbeat += 1;
		if (s.providerUserId !== providerUserId) {
			// Another player's session is reported as absent, not as a different error that would confirm it exists.
			s.violations.push("heartbeat_user_mismatch");
			return { kind: "error", code: "SESSION_NOT_FOUND", gameSessionId: s.id };
		}
		if (s.terminalReply !== null) s.violations.push(`heartbeat_after_${s.terminalReply}`);
		const outcome = this.heartbeatOutcome(s);
		if (outcome.kind === "error") s.terminalReply = outcome.code;
		else if (outcome.result === "SESSION_REPLACED") s.terminalReply = outcome.result;
		return outcome;
	}

	end(now: number, gameSessionId: string, clientPlayDurationSec: number | null): EndOutcome {
		this.settle(now);
		const s = this.sessions.get(gameSessionId);
		if (s === undefined) return { kind: "error", code: "SESSION_NOT_FOUND" };
		s.requests.end += 1;
		switch (s.phase.kind) {
			case "active":
			case "charge_exhausted":
				s.clientPlayDurationSec = clientPlayDurationSec;
				this.close(s, { kind: "ended", by: "ended_by_game", at: this.t }, this.t);
				return {
					kind: "success",
					playDurationSec: this.playDuration(s),
					clientPlayDurationSec,
					gameSessionId: s.id,
				};
			case "expired":
				return { kind: "error", code: "SESSION_NOT_FOUND", gameSessionId: s.id };
			case "replaced":
				s.violations.push("end_after_replaced");
				return { kind: "error", code: "ALREADY_ENDED", gameSessionId: s.id };
			case "ending":
			case "ended":
				return { kind: "error", code: "ALREADY_ENDED", gameSessionId: s.id };
		}
	}

	// ---- ledger ----------------------------------------------------------------------------------

	sessionRecords(now: number): SessionRecord[] {
		this.settle(now);
		return [...this.sessions.values()].map((s) => this.record(s));
	}

	sessionRecord(now: number, gameSessionId: string): SessionRecord | undefined {
		this.settle(now);
		const s = this.sessions.get(gameSessionId);
		return s === undefined ? undefined : this.record(s);
	}

	ottRecords(now: number): OttRecord[] {
		this.settle(now);
		return [...this.otts.values()].map((o) => ({ ...o }));
	}

	// ---- the event loop --------------------------------------------------------------------------

	/** Applies, in time order, every transition due at or before `now`, charging play time in between. */
	settle(now: number): void {
		// A clock that steps backwards is treated as standing still.
		const target = Math.max(now, this.t);
		if (this.t === -Infinity) this.t = target;
		for (let guard = 0; guard < 1_000_000; guard++) {
			const next = this.nextEvent();
			if (next === undefined || next.time > target) break;
			this.charge(next.time);
			next.apply();
		}
		this.charge(target);
	}

	private nextEvent(): DueEvent | undefined {
		const timing = this.timing();
		let best: DueEvent | undefined;
		const consider = (time: number, rank: number, apply: () => void) => {
			if (best === undefined || time < best.time || (time === best.time && rank < best.rank)) {
				best = { time, rank, apply };
			}
		};
		for (const [pcId, pc] of this.pcs) {
			if (pc.deadAt !== null || (pc.mode === "auto" && !pc.killed)) continue;
			const at = pc.lastBeatAt + timing.launcherSilenceSec;
			consider(at, 0, () => this.launcherDied(pcId, pc, at));
		}
		const billing = new Map<string, number>();
		for (const s of this.live) {
			const phase = s.phase;
			if (phase.kind === "active" || phase.kind === "charge_exhausted") {
				const at = s.lastHeartbeatAt + timing.sessionTtlSec;
				consider(at, 1, () => this.expire(s, at));
			}
			if (phase.kind === "active") billing.set(s.userId, (billing.get(s.userId) ?? 0) + 1);
			if (phase.kind === "charge_exhausted") {
				const at = phase.since + timing.graceSec;
				consider(at, 3, () => this.startEnding(s, at));
			}
			if (phase.kind === "ending") {
				const at = phase.since + timing.endingSec;
				consider(at, 4, () => this.close(s, { kind: "ended", by: "charge_exhausted", at }, s.playEndAt ?? at));
			}
		}
		for (const [userId, count] of billing) {
			const wallet = this.wallet(userId);
			if (!Number.isFinite(wallet.balanceSec)) continue;
			const at = this.t + wallet.balanceSec / count;
			consider(at, 2, () => this.exhaust(userId, at));
		}
		return best;
	}

	/** Charges every billing session from the settled time up to `to`. */
	private charge(to: number): void {
		const dt = to - this.t;
		if (!(dt > 0)) return;
		for (const s of this.live) {
			if (s.phase.kind !== "active") continue;
			s.billedSec += dt;
			const wallet = this.wallet(s.userId);
			wallet.balanceSec = Math.max(0, wallet.balanceSec - dt);
		}
		this.t = to;
	}

	private exhaust(userId: string, at: number): void {
		this.wallet(userId).balanceSec = 0;
		for (const s of this.live) {
			if (s.userId === userId && s.phase.kind === "active") s.phase = { kind: "charge_exhausted", since: at };
		}
	}

	private startEnding(s: Session, at: number): void {
		s.phase = { kind: "ending", since: at };
		s.playEndAt = at;
	}

	private expire(s: Session, at: number): void {
		// Billing ends abnormally at the last heartbeat: whatever was charged after it goes back to the wallet.
		const refund = s.billedSec - s.billedAtLastHeartbeat;
		s.billedSec = s.billedAtLastHeartbeat;
		this.close(s, { kind: "expired", at }, s.lastHeartbeatAt);
		if (refund > 0) this.credit(s.userId, refund);
	}

	private launcherDied(pcId: string, pc: Pc, at: number): void {
		pc.deadAt = at;
		for (const s of [...this.live]) {
			if (s.pcId !== pcId) continue;
			if (s.phase.kind !== "active" && s.phase.kind !== "charge_exhausted") continue;
			this.close(s, { kind: "ended", by: "launcher_dead", at }, at);
		}
	}

	private close(s: Session, phase: SessionPhase, playEndAt: number): void {
		s.phase = phase;
		s.playEndAt = playEndAt;
		this.live.delete(s);
	}

	/** Adds to a wallet; sessions in grace resume billing once there is balance again. */
	private credit(userId: string, seconds: number): void {
		const wallet = this.wallet(userId);
		wallet.balanceSec += seconds;
		if (!(wallet.balanceSec > 0)) return;
		for (const s of this.live) {
			if (s.userId === userId && s.phase.kind === "charge_exhausted") s.phase = { kind: "active" };
		}
	}

	private heartbeatOutcome(s: Session): HeartbeatOutcome {
		const id = s.id;
		switch (s.phase.kind) {
			case "active":
			case "charge_exhausted":
				s.lastHeartbeatAt = this.t;
				s.billedAtLastHeartbeat = s.billedSec;
				return {
					kind: "result",
					result: s.phase.kind === "active" ? "OK" : "CHARGE_EXHAUSTED",
					playDurationSec: this.playDuration(s),
					gameSessionId: id,
				};
			case "replaced":
				return {
					kind: "result",
					result: "SESSION_REPLACED",
					playDurationSec: this.playDuration(s),
					gameSessionId: id,
				};
			case "ending":
				return { kind: "error", code: "SESSION_ENDING", gameSessionId: id };
			case "ended":
				return { kind: "error", code: "SESSION_ENDED", gameSessionId: id };
			case "expired":
				return { kind: "error", code: "SESSION_NOT_FOUND", gameSessionId: id };
		}
	}

	private playDuration(s: Session): number {
		return Math.max(0, (s.playEndAt ?? this.t) - s.startedAt);
	}

	private record(s: Session): SessionRecord {
		const phase = s.phase;
		let endedBy: EndReason | null = null;
		let closedAt: number | null = null;
		if (phase.kind === "ended") [endedBy, closedAt] = [phase.by, phase.at];
		if (phase.kind === "replaced") [endedBy, closedAt] = ["replaced", phase.at];
		if (phase.kind === "expired") [endedBy, closedAt] = ["ttl_expired", phase.at];
		return {
			gameSessionId: s.id,
			gameId: s.gameId,
			userId: s.userId,
			providerUserId: s.providerUserId,
			pcId: s.pcId,
			isPcCafe: s.isPcCafe,
			ott: s.ott,
			state: phase.kind,
			startedAt: s.startedAt,
			lastHeartbeatAt: s.lastHeartbeatAt,
			endedAt: closedAt === null ? null : s.playEndAt,
			endedBy,
			closedAt,
			billedSec: s.billedSec,
			playDurationSec: this.playDuration(s),
			clientPlayDurationSec: s.clientPlayDurationSec,
			replacedBy: phase.kind === "replaced" ? phase.by : null,
			requests: { ...s.requests },
			violations: [...s.violations],
		};
	}

	private wallet(userId: string): Wallet {
		let wallet = this.wallets.get(userId);
		if (wallet === undefined) {
			wallet = { balanceSec: 0 };
			this.wallets.set(userId, wallet);
		}
		return wallet;
	}

	private pcOrThrow(pcId: string): Pc {
		const pc = this.pcs.get(pcId);
		if (pc === undefined) throw new Error(`unknown PC "${pcId}": issue an OTT on it first`);
		return pc;
	}
}
