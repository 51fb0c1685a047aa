// MessagingService across the servers of one World (engine/messaging.luau is the server side).
// Follows the MessagingService class page (its Limitations table) and "Cross-Server Messaging":
// topics are per experience, live and Studio servers have separate namespaces, delivery is best
// effort and takes under a second.
import { FailureRules, type FailureRule } from "./failureRules";
import type { Server } from "./server";
import type { World } from "./world";

/** A rule that makes matching PublishAsync/SubscribeAsync calls fail (see `Messaging.fail`). */
export interface MessagingFailure extends FailureRule {
	/** Error message the call throws (default `MessagingService: request failed`). */
	error?: string;
	/** Only publishes or only subscriptions. */
	op?: "publish" | "subscribe";
	topic?: string;
}

/** One published message and what became of it. */
export interface PublishedMessage {
	time: number;
	/** JobId of the publishing server, or `undefined` for `world.messaging.publish` (Open Cloud). */
	server?: string;
	topic: string;
	data: unknown;
	/** `delivered` (sent to every live server of the experience), `failed` (PublishAsync threw), or
	 * `dropped` (over the topic's or the experience's receive limit: subscribers never see it). */
	outcome: "pending" | "delivered" | "failed" | "dropped";
	/** Why it failed or was dropped. */
	reason?: string;
	/** JobIds of the servers it was delivered to. */
	servers: string[];
}

/** Which experience's topics: servers with the same GameId share them; Studio has its own. */
export interface MessagingScope {
	gameId?: number;
	studio?: boolean;
}

interface Request {
	op: "publish" | "subscribe";
	topic: string;
	json?: string;
	limit?: number;
}

export class Messaging {
	/** Virtual seconds PublishAsync and SubscribeAsync yield (default 0.05). */
	latency = 0.05;
	/** Virtual seconds from PublishAsync to the subscribers' callbacks (default 0.2; the page says < 1 s). */
	deliveryDelay = 0.2;
	/** Every message published, in order. */
	readonly published: PublishedMessage[] = [];
	private readonly failures = new FailureRules<MessagingFailure>();
	private readonly sentBy = new Map<Server, number[]>();
	/** Delivered message times per experience, and per experience and topic. */
	private readonly received = new Map<string, number[]>();

	constructor(private readonly world: World) {}

	/** Makes matching calls fail with `error`; returns a handle whose `cancel()` removes the rule. */
	fail(rule: MessagingFailure = {}): { cancel(): void } {
		return this.failures.add(rule);
	}

	clearFailures(): void {
		this.failures.clear();
	}

	/** Publishes from outside the game (as the Open Cloud messaging API does). */
	publish(topic: string, data: unknown, scope: MessagingScope = {}): PublishedMessage {
		const json = JSON.stringify(data ?? null);
		const message: PublishedMessage = {
			time: this.world.now,
			topic,
			data: data ?? null,
			outcome: "pending",
			servers: [],
		};
		this.published.push(message);
		this.route(message, json, experienceKey(scope.gameId ?? 0, scope.studio ?? false), this.world.now);
		return message;
	}

	/** @internal A request from a server's engine (hostCall "messaging"); returns JSON. */
	hostRequest(server: Server, payload: string, now: number): string {
		const request = JSON.parse(payload) as Request;
		const failure = this.injectedFailure(request, now);
		if (request.op === "subscribe") {
			return JSON.stringify(failure ? { latency: this.latency, error: failure } : { latency: this.latency });
		}
		const message: PublishedMessage = {
			time: now,
			server: server.jobId,
			topic: request.topic,
			data: parseEngineJson(request.json ?? "null"),
			outcome: "pending",
			servers: [],
		};
		this.published.push(message);
		const error = failure ?? this.spendPublish(server, now, request.limit ?? 150);
		if (error) {
			message.outcome = "failed";
			message.reason = error;
			return JSON.stringify({ latency: this.latency, error });
		}
		this.route(message, request.json ?? "null", experienceKeyOf(server), now);
		return JSON.stringify({ latency: this.latency });
	}

	private spendPublish(server: Server, now: number, limit: number): string | undefined {
		const times = (this.sentBy.get(server) ?? []).filter((t) => t > now - 60);
		this.sentBy.set(server, times);
		if (times.length >= limit) {
			return `MessagingService: this server published ${times.length} messages in the last minute, its limit (150 + 60 per player)`;
		}
		times.push(now);
		return undefined;
	}

	/** Applies the receive limits and schedules the delivery to every live server of the experience. */
	private route(message: PublishedMessage, json: string, experience: string, now: number): void {
		const servers = this.world.servers.filter((s) => s.alive && experienceKeyOf(s) === experience).length;
		// "Messages received per topic: (10 + 20 * number of servers) per minute";
		// "Messages received for entire game: (100 + 50 * number of servers) per minute".
		const topicKey = `${experience}\u0000${message.topic}`;
		const topicTimes = this.window(topicKey, now);
		const gameTimes = this.window(experience, now);
		if (topicTimes.length >= 10 + 20 * servers) {
			message.outcome = "dropped";
			message.reason = "over the topic's receive limit (10 + 20 per server per minute)";
			return;
		}
		if (gameTimes.length >= 100 + 50 * servers) {
			message.outcome = "dropped";
			message.reason = "over the experience's receive limit (100 + 50 per server per minute)";
			return;
		}
		topicTimes.push(now);
		gameTimes.push(now);
		const sent = this.world.epoch + message.time;
		this.world.schedule(now + this.deliveryDelay, async () => {
			message.outcome = "delivered";
			for (const server of this.world.servers) {
				if (!server.alive || experienceKeyOf(server) !== experience) continue;
				message.servers.push(server.jobId);
				try {
					await server.command("messagingDeliver", JSON.stringify({ topic: message.topic, json, sent }));
				} catch {
					// The server shut down while the message was on its way: it never gets it.
					message.servers.pop();
				}
			}
		});
	}

	private window(key: string, now: number): number[] {
		const times = (this.received.get(key) ?? []).filter((t) => t > now - 60);
		this.received.set(key, times);
		return times;
	}

	private injectedFailure(request: Request, now: number): string | undefined {
		const rule = this.failures.take(
			now,
			(r) => (r.op === undefined || r.op === request.op) && (r.topic === undefined || r.topic === request.topic),
		);
		return rule === undefined ? undefined : (rule.error ?? "MessagingService: request failed");
	}
}

function experienceKey(gameId: number, studio: boolean): string {
	return `${gameId}:${studio ? "studio" : "live"}`;
}

function experienceKeyOf(server: Server): string {
	return experienceKey(server.options.gameId ?? 0, server.options.studio ?? false);
}

function parseEngineJson(json: string): unknown {
	try {
		return JSON.parse(json);
	} catch {
		return json;
	}
}
