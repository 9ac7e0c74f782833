/** Lets other requests and timers run between long stretches of CPU work inside one request. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0))
