#!/bin/sh
# Writes a C file holding every numbered migration (src/store/migrations/NNN_name.sql)
# as a string, in order, for store/migrate.c.
set -e
echo '#include "store/migrations.h"'
echo 'const struct migration migrations[] = {'
for f in "$@"; do
  base=$(basename "$f" .sql)
  num=${base%%_*}
  printf '  {%d, "%s", ' "$(expr "$num" + 0)" "$base"
  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$f"
  echo '},'
done
echo '  {0, 0, 0}'
echo '};'
