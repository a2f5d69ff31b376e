#include "api/handlers.h"

#include "store/db.h"
#include "version.h"

enum err api_health(struct request *r)
{
    struct db *db = req_db(r);
    if (!db || db_run(db, "SELECT 1", NULL) < 0)
        return req_fail(r, ERR_UNAVAILABLE, NULL, "the database cannot be reached");
    return req_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "version", PARLEY_VERSION));
}
