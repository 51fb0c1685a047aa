import { RequestScheduler } from "../scheduler/RequestScheduler";
import { RequestPriority, Withdraw } from "../scheduler/SchedulerConfig";

export type { Withdraw };
import { TransportResult } from "../transport/HttpTransport";
import { EndOutcome, HeartbeatOutcome, VerifyOutcome } from "../protocol/outcomes";
import { ApiRequest, RequestBuilder } from "../protocol/requests";
import { RawResponse, ResponseParser } from "../protocol/responses";

/**
 * The three PlayWave calls as typed operations: build the request, send it through the scheduler,
 * parse what comes back. Every result, including transport failures, arrives as one typed outcome.
 */
export class PlaywaveApi {
	constructor(
		private readonly requests: RequestBuilder,
		private readonly scheduler: RequestScheduler,
		private readonly parser: ResponseParser,
	) {}

	verify(
		ott: string,
		userId: number,
		deadline: number,
		done: (outcome: VerifyOutcome, sentAt?: number) => void,
	): Withdraw {
		return this.call(
			this.requests.verify(ott, userId),
			"verify",
			deadline,
			(r) => this.parser.parseVerify(r),
			done,
		);
	}

	heartbeat(
		gameSessionId: string,
		userId: number,
		deadline: number,
		done: (outcome: HeartbeatOutcome, sentAt?: number) => void,
	): Withdraw {
		const request = this.requests.heartbeat(gameSessionId, userId);
		return this.call(request, "heartbeat", deadline, (r) => this.parser.parseHeartbeat(r), done);
	}

	end(
		gameSessionId: string,
		playDurationSec: number | undefined,
		deadline: number,
		done: (outcome: EndOutcome, sentAt?: number) => void,
	): Withdraw {
		const request = this.requests.end(gameSessionId, playDurationSec);
		return this.call(request, "end", deadline, (r) => this.parser.parseEnd(r), done);
	}

	private call<O>(
		request: ApiRequest,
		priority: RequestPriority,
		deadline: number,
		parse: (response: RawResponse) => O,
		done: (outcome: O, sentAt?: number) => void,
	): Withdraw {
		return this.scheduler.submit(request, priority, deadline, (result: TransportResult, sentAt) =>
			done(result.kind === "response" ? parse(result) : (result.failure as O), sentAt),
		);
	}
}
