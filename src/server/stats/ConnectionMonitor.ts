import { Signal } from "@rbxts/beacon";
import { Clock } from "../../clock/Clock";
import { RequestScheduler } from "../../scheduler/RequestScheduler";
import { MeteredTransport } from "../../transport/MeteredTransport";
import { ConnectionStatus } from "./types";

export type { ConnectionStatus } from "./types";
/** `healthy`, `paused` or `misconfigured` (see `ConnectionStatus`). */
export type ConnectionCondition = ConnectionStatus["condition"];
/** Why the connection is not healthy. */
export type ConnectionCause = NonNullable<ConnectionStatus["cause"]>;

/**
 * Works out the connection's condition from the scheduler's client-wide trouble and what the meter
 * saw, and fires `changed` when it moves. Checked after every reply and on every read.
 */
export class ConnectionMonitor {
	/** The condition changed: (now, before). */
	readonly changed = new Signal<[status: ConnectionStatus, previous: ConnectionStatus]>();
	private condition: ConnectionCondition = "healthy";
	private cause?: ConnectionCause;
	private since: number;

	constructor(
		private readonly scheduler: RequestScheduler,
		private readonly meter: MeteredTransport,
		private readonly clock: Clock,
		/** `HttpService.HttpEnabled`. */
		private readonly httpEnabled: () => boolean,
	) {
		this.since = clock.now();
		meter.afterReply = () => this.check();
		this.check();
	}

	/** The condition now (re-checked). */
	status(): ConnectionStatus {
		this.check();
		return this.current();
	}

	/** Re-checks the condition, firing `changed` if it moved. */
	check() {
		const { condition, cause } = this.evaluate();
		if (condition === this.condition && cause === this.cause) return;
		const previous = this.current();
		this.condition = condition;
		this.cause = cause;
		this.since = this.clock.now();
		this.changed.Fire(this.current(), previous);
	}

	destroy() {
		this.meter.afterReply = undefined;
		this.changed.Destroy();
	}

	private current(): ConnectionStatus {
		const pausedUntil = this.scheduler.stats().pausedUntil;
		return {
			condition: this.condition,
			cause: this.cause,
			since: this.since,
			lastFailure: this.meter.lastFailure(),
			pausedUntil: this.condition !== "healthy" && pausedUntil > -math.huge ? pausedUntil : undefined,
		};
	}

	private evaluate(): { condition: ConnectionCondition; cause?: ConnectionCause } {
		if (!this.httpEnabled() || this.meter.isHttpDisabled())
			return { condition: "misconfigured", cause: "httpDisabled" };
		switch (this.scheduler.trouble()) {
			case "refused": {
				const badRequest = this.meter.lastFailure()?.failureClass === "BadRequest";
				return { condition: "misconfigured", cause: badRequest ? "requestRefused" : "keyRefused" };
			}
			case "unreachable":
				return { condition: "paused", cause: "outage" };
			case "slowDown":
				return { condition: "paused", cause: "rateLimited" };
			default:
				return { condition: "healthy" };
		}
	}
}
