import { Clock } from "../../clock/Clock";
import { PlaywaveConnection } from "../../session/PlaywaveConnection";
import { LogPort } from "../../ports/ports";
import { Departures } from "./Departures";
import { PlayerFlow } from "./PlayerFlow";
import { ServerState } from "./ServerState";

/**
 * At close, players still here this long before the deadline are ended, whatever was prepared, and
 * hand-overs still unclaimed are abandoned and ended (a teleport that threw, then the server emptied).
 */
const END_RESERVE_SEC = 10;

/**
 * The server's close, on its timetable: verifies stop, the game gets a grace to prepare teleports,
 * players still here are ended, unclaimed hand-overs are decided, and the wait ends when everything
 * is settled or the deadline comes.
 */
export class CloseCoordinator {
	private closeWait?: Promise<void>;
	private resolveClose?: () => void;

	constructor(
		private readonly state: ServerState,
		private readonly shutdownTimeoutSec: number,
		private readonly teleportGraceSec: number,
		private readonly connection: PlaywaveConnection,
		private readonly clock: Clock,
		private readonly log: LogPort,
		private readonly players: PlayerFlow,
		private readonly departures: Departures,
	) {}

	/** Begins the close on the first call; every call waits for the same close. */
	shutdown() {
		if (this.closeWait === undefined) this.beginClose();
		this.closeWait!.await();
	}

	/** Ends the wait once nothing is left to settle (while closing). */
	checkClosed() {
		if (!this.state.closing) return;
		if (this.state.unsettled() === 0) this.finishClose();
	}

	private beginClose() {
		const { clock, state, players, departures } = this;
		const total = this.shutdownTimeoutSec;
		state.closing = true;
		state.closeDeadline = clock.now() + total;
		this.closeWait = new Promise<void>((resolve) => {
			this.resolveClose = resolve;
		});
		// Ends may now use nearly the whole HttpService budget.
		this.connection.scheduler.enterShutdown();
		const count = state.unsettled();
		if (count > 0) this.log.info(`closing: settling ${count} PlayWave session(s)`);
		// Anyone not billing yet is released now; a verify already sent still gets its answer (then an end).
		for (const [, entry] of state.entries) {
			if (entry.session.getStatus() !== "ACTIVE") players.endPresent(entry);
		}
		this.connection.scheduler.stopSending("verify");
		departures.pollSooner();
		const grace = math.min(this.teleportGraceSec, math.max(0, total - END_RESERVE_SEC));
		clock.delay(grace, () => {
			state.graceOver = true;
			for (const [, entry] of state.entries) if (entry.teleport === undefined) players.endPresent(entry);
		});
		clock.delay(math.max(grace, total - END_RESERVE_SEC), () => {
			for (const [, entry] of state.entries) players.endPresent(entry);
			departures.decideNow();
		});
		clock.delay(math.max(0, total - 1), () => departures.stopWatching());
		clock.delay(total, () => this.finishClose());
		this.checkClosed();
	}

	private finishClose() {
		const resolve = this.resolveClose;
		this.resolveClose = undefined;
		resolve?.();
	}
}
