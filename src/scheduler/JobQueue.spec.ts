import { RequestBuilder } from "../protocol/requests";
import { deliver, JobQueue, notSent } from "./JobQueue";
import { RequestPriority } from "./SchedulerConfig";

const builder = new RequestBuilder({ baseUrl: "https://api.test/v1" }, "k");

export = () => {
	describe("JobQueue", () => {
		const named =
			(queue: JobQueue, log: Array<string>) => (name: string, priority: RequestPriority, deadline: number) => {
				const job = queue.create(builder.heartbeat(name, 1), priority, deadline, (result) =>
					log.push(`${name}:${result.kind === "failure" ? result.failure.kind : result.status}`),
				);
				queue.insert(job);
				return job;
			};
		const order = (queue: JobQueue) => {
			const names = new Array<string>();
			for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
				names.push(tostring(job.request.body.game_session_id));
			}
			return names.join(" ");
		};

		it("orders by urgency (verify, end, heartbeat), then by deadline, then in the order jobs came", () => {
			const queue = new JobQueue();
			const add = named(queue, []);
			add("h-late", "heartbeat", 90);
			add("h-soon", "heartbeat", 30);
			add("e", "end", 100);
			add("h-soon-2", "heartbeat", 30);
			add("v", "verify", 200);
			expect(order(queue)).to.equal("v e h-soon h-soon-2 h-late");
		});

		it("puts a job back in its place: a refused one goes before later jobs of the same deadline", () => {
			const queue = new JobQueue();
			const add = named(queue, []);
			const first = add("first", "heartbeat", 30);
			add("second", "heartbeat", 30);
			expect(queue.remove(first)).to.equal(true);
			expect(queue.remove(first)).to.equal(false);
			queue.insert(first);
			expect(order(queue)).to.equal("first second");
		});

		it("fails matching jobs unsent, each taken out before its owner hears, each owner once", () => {
			const queue = new JobQueue();
			const log = new Array<string>();
			const add = named(queue, log);
			const kept = add("kept", "verify", 10);
			const gone = add("gone", "heartbeat", 10);
			let queuedWhenTold = -1;
			queue.failEach(
				(job) => job.priority === "heartbeat",
				() => {
					queuedWhenTold = queue.size();
					return notSent("not sent: test");
				},
			);
			expect(queuedWhenTold).to.equal(1);
			expect(log.join(" ")).to.equal("gone:BudgetExceeded");
			deliver(gone, { kind: "response", status: 200, body: "{}" });
			expect(log.size()).to.equal(1);
			expect(queue.head()).to.equal(kept);
		});
	});
};
