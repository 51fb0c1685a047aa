// luau-web runs every LuauState on one WebAssembly instance whose async calls must not overlap,
// so every call into Luau, from any server, goes through this single queue.
let tail: Promise<unknown> = Promise.resolve();

/** Runs `task` after every previously queued VM task has finished. */
export function withVm<T>(task: () => Promise<T>): Promise<T> {
	const result = tail.then(task, task);
	tail = result.catch(() => undefined);
	return result;
}

/** Resolves once the queue is empty (tasks queued meanwhile are waited for too). */
export async function vmIdle(): Promise<void> {
	let seen: Promise<unknown> | undefined;
	while (seen !== tail) {
		seen = tail;
		await seen;
	}
}
