#include "macros/actions.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/tags.h"

static const char *const members[] = {"status", "priority", "add_tags", "remove_tags", "assignee_id", "team_id"};

/* Reads an id member that may also be null (clear) or, for the assignee, "me". */
static enum err read_id(json_t *v, const char *name, bool me_allowed, const struct principal *me, bool *has,
                        int64_t *out, struct failure *f)
{
    *has = v != NULL;
    *out = 0;
    if (!v || json_is_null(v))
        return ERR_OK;
    if (me_allowed && json_is_string(v) && strcmp(json_string_value(v), "me") == 0) {
        *out = me->user_id;
        return ERR_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return fail(f, ERR_VALIDATION, name, "%s must be an id%s or null", name, me_allowed ? ", \"me\"" : "");
    *out = json_integer_value(v);
    return ERR_OK;
}

/* Checks one text member (status, priority). */
static enum err read_text(json_t *actions, const char *key, const char **out, struct failure *f)
{
    json_t *v = json_object_get(actions, key);
    *out = NULL;
    if (v && !json_is_string(v))
        return fail(f, ERR_VALIDATION, key, "%s must be a text", key);
    *out = json_string_value(v);
    return ERR_OK;
}

enum err macro_actions_check(struct db *db, const struct principal *me, json_t *actions, struct failure *f)
{
    if (!json_is_object(actions))
        return fail(f, ERR_VALIDATION, "actions", "actions must be an object");
    const char *key;
    json_t *v;
    json_object_foreach(actions, key, v) {
        size_t i = 0;
        while (i < sizeof members / sizeof members[0] && strcmp(members[i], key) != 0)
            i++;
        if (i == sizeof members / sizeof members[0])
            return fail(f, ERR_VALIDATION, "actions", "actions may hold status, priority, add_tags, remove_tags, "
                        "assignee_id and team_id, not %.40s", key);
    }
    struct ticket_patch p = {0};
    json_t *tags[2] = {NULL, NULL};
    const char *lists[2] = {"add_tags", "remove_tags"};
    enum err e;
    if ((e = read_text(actions, "status", &p.status, f)) || (e = read_text(actions, "priority", &p.priority, f)) ||
        (e = read_id(json_object_get(actions, "assignee_id"), "assignee_id", true, me, &p.has_assignee,
                     &p.assignee_id, f)) ||
        (e = read_id(json_object_get(actions, "team_id"), "team_id", false, me, &p.has_team, &p.team_id, f)))
        goto done;
    for (int i = 0; i < 2 && !e; i++)
        if (json_object_get(actions, lists[i]))
            e = tags_normalize(json_object_get(actions, lists[i]), TICKET_TAGS_MAX, TICKET_TAG_MAX, lists[i], &tags[i], f);
    if (!e)
        e = tickets_check_patch(db, &p, f);
done:
    json_decref(tags[0]);
    json_decref(tags[1]);
    if (e && f && f->field[0]) {
        char field[sizeof f->field];
        snprintf(field, sizeof field, "actions.%.80s", f->field);
        memcpy(f->field, field, sizeof field);
    }
    return e;
}

/* True when tag is in list (case-insensitively). */
static bool has_tag(json_t *list, const char *tag)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (json_is_string(v) && strcasecmp(json_string_value(v), tag) == 0)
            return true;
    }
    return false;
}

void macro_actions_patch(json_t *actions, json_t *tags, const struct principal *me, struct ticket_patch *p,
                         json_t **new_tags)
{
    struct failure ignored;
    *p = (struct ticket_patch){0};
    *new_tags = NULL;
    p->status = json_string_value(json_object_get(actions, "status"));
    p->priority = json_string_value(json_object_get(actions, "priority"));
    read_id(json_object_get(actions, "assignee_id"), "assignee_id", true, me, &p->has_assignee, &p->assignee_id,
            &ignored);
    read_id(json_object_get(actions, "team_id"), "team_id", false, me, &p->has_team, &p->team_id, &ignored);
    json_t *add = json_object_get(actions, "add_tags"), *remove = json_object_get(actions, "remove_tags");
    if (!add && !remove)
        return;
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(tags, i, v) {
        if (!has_tag(remove, json_string_value(v)))
            json_array_append(out, v);
    }
    json_array_foreach(add, i, v) {
        if (!has_tag(out, json_string_value(v)))
            json_array_append(out, v);
    }
    *new_tags = out;
    p->tags = out;
}
