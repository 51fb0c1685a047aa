// AnalyticsService events of a World's servers, recorded for tests (engine/analytics.luau sends
// them). Applies the limits of the "Event types" page ("Event tracking limitations"): 120 + 20 ×
// CCU requests per minute per server, and per experience and day: 100 custom event names, 10
// funnels, steps 1–100, and 5 currency types (the LogEconomyEvent reference; the "Event types" table
// says 10, the runtime takes the stricter). Events can't be sent from Studio ("Custom events").
import type { Server } from "./server";
import type { World } from "./world";

export interface AnalyticsEvent {
	time: number;
	/** JobId of the server that logged it. */
	server: string;
	/** `LogCustomEvent`, `LogEconomyEvent`, `LogFunnelStepEvent`, … */
	method: string;
	userId: number;
	/** The method's arguments by name (eventName, value, flowType, currencyType, step, …). */
	fields: Record<string, unknown>;
	/** The CustomField01–03 entries passed (other keys are ignored, as the engine does). */
	customFields: Record<string, string>;
	/** Why the event was dropped (not sent to Roblox), if it was. */
	dropped?: string;
}

interface Request {
	method: string;
	userId: number;
	fields: Record<string, unknown> | unknown[];
	customFields: Record<string, string> | unknown[];
	problem?: string;
	players: number;
}

const DAY = 86400;
const LIMITS = { customEventNames: 100, funnels: 10, currencies: 5 };

interface Cardinality {
	day: number;
	eventNames: Set<string>;
	funnels: Set<string>;
	currencies: Set<string>;
}

export class Analytics {
	/** Every event logged in the world, dropped ones included, in order. */
	readonly events: AnalyticsEvent[] = [];
	private readonly sent = new Map<Server, number[]>();
	private readonly cardinality = new Map<string, Cardinality>();

	constructor(private readonly world: World) {}

	/** @internal An event from a server's engine (hostCall "analytics"); returns JSON. */
	hostRequest(server: Server, payload: string, now: number): string {
		const request = JSON.parse(payload) as Request;
		const event: AnalyticsEvent = {
			time: now,
			server: server.jobId,
			method: request.method,
			userId: request.userId,
			fields: Array.isArray(request.fields) ? {} : request.fields,
			customFields: Array.isArray(request.customFields) ? {} : request.customFields,
		};
		this.events.push(event);
		// "Events can only be sent from the server and in published experiences. Events can't be
		// sent from the client or Studio." Nothing is logged for those.
		if (server.options.studio) {
			event.dropped = "Studio";
			return JSON.stringify({ dropped: event.dropped, log: false });
		}
		const reason = request.problem ?? this.spend(server, now, request.players) ?? this.limit(server, event, now);
		if (reason) {
			event.dropped = reason;
			return JSON.stringify({ dropped: reason, log: true });
		}
		return JSON.stringify({});
	}

	/** "Total AnalyticsService requests per minute: 120 + (20 * CCU)", per server, sliding minute. */
	private spend(server: Server, now: number, players: number): string | undefined {
		const times = (this.sent.get(server) ?? []).filter((t) => t > now - 60);
		this.sent.set(server, times);
		const limit = 120 + 20 * players;
		if (times.length >= limit) return `over the rate limit of ${limit} events per minute (120 + 20 per player)`;
		times.push(now);
		return undefined;
	}

	private limit(server: Server, event: AnalyticsEvent, now: number): string | undefined {
		const experience = `${server.options.gameId ?? 0}`;
		const day = Math.floor((this.world.epoch + now) / DAY);
		let c = this.cardinality.get(experience);
		if (!c || c.day !== day) {
			// "Limitations reset daily."
			c = { day, eventNames: new Set(), funnels: new Set(), currencies: new Set() };
			this.cardinality.set(experience, c);
		}
		const f = event.fields;
		const within = (set: Set<string>, value: string, max: number, what: string): string | undefined => {
			if (set.has(value)) return undefined;
			if (set.size >= max) return `the experience already has ${max} ${what} today`;
			set.add(value);
			return undefined;
		};
		switch (event.method) {
			case "LogCustomEvent":
				return within(c.eventNames, String(f.eventName), LIMITS.customEventNames, "custom event names");
			case "LogEconomyEvent":
				return within(c.currencies, String(f.currencyType), LIMITS.currencies, "currency types");
			case "LogFunnelStepEvent":
			case "LogOnboardingFunnelStepEvent": {
				const step = Number(f.step);
				if (!Number.isInteger(step) || step < 1 || step > 100) return `step ${String(f.step)} is not 1-100`;
				if (event.method === "LogOnboardingFunnelStepEvent") return undefined;
				return within(c.funnels, String(f.funnelName), LIMITS.funnels, "funnels");
			}
		}
		return undefined;
	}
}
