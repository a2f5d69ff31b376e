/* Background work of `parley serve` on a thread of its own: periodic jobs such as announcing
 * due follow-up reminders. */
#ifndef PARLEY_JOBS_SCHEDULER_H
#define PARLEY_JOBS_SCHEDULER_H

struct app;
struct scheduler;

/* Starts the background thread for app; NULL when it cannot. */
struct scheduler *scheduler_start(struct app *app);
/* Stops the thread (waiting for a running job to finish) and frees it. */
void scheduler_stop(struct scheduler *s);

#endif
