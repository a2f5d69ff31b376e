-- Newest-first pages of a person's (or nobody's) tickets without sorting all of them:
-- "my open tickets" and "unassigned" walk this index in id order and stop after one page.
CREATE INDEX tickets_assignee_recent ON tickets (assignee_id, id);
