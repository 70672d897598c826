// The periodic resync of a GithubPathReconciler. The job ticks every hour whatever the period:
// each tick enqueues the keys whose minute-of-period (a stable hash of the key) falls in that
// hour, with the remaining delay, so every key is enqueued once per period and a tick enqueues
// about 1/period of them (spec 07).

/** Cron schedule of the resync job (Cloud Scheduler, UTC): at minute 0 of every hour. */
export const resyncSchedule = '0 * * * *';
export const resyncTickMinutes = 60;
export const resyncTimeZone = 'Etc/UTC';

/** CloudEvent type of GitHub push events on the broker (published by the webhook ingress). */
export const githubPushEventType = 'dev.chainguard.github.push';
