# Parley build. `make` builds build/parley; `make run` and `make check` are the two
# commands of the README (they install what is missing first).
PKGS     := libmicrohttpd jansson sqlite3 libpq libsodium liboath libqrencode libcmark \
            libmagic libcurl libexttextcat
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CC       ?= cc
WARN     := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE $(WARN) -Isrc -Ibuild/gen $(PKG_CFLAGS)
LIBS     := $(PKG_LIBS) -lstemmer -lcrack -lpthread -lm
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

SRCS     := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
GEN      := build/gen/migrations.c
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

REL_OBJS  := $(patsubst src/%.c,build/rel/%.o,$(LIB_SRCS)) build/rel/gen/migrations.o
ASAN_OBJS := $(patsubst src/%.c,build/asan/%.o,$(LIB_SRCS)) build/asan/gen/migrations.o
UNIT_BINS := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRCS))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))

.PHONY: all asan unit fuzz run check deps clean bench web
# keep the objects that pattern rules chain through (fuzz objects, generated sources)
.SECONDARY:
all: build/parley

deps:
	@scripts/install-deps.sh

build/parley: $(REL_OBJS) build/rel/main.o
	$(CC) -o $@ $^ $(LIBS)

build/asan/parley: $(ASAN_OBJS) build/asan/main.o
	$(CC) $(SAN) -o $@ $^ $(LIBS)

asan: build/asan/parley
unit: $(UNIT_BINS)
fuzz: $(FUZZ_BINS)

build/rel/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -g -MMD -MP -c -o $@ $<

build/asan/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O1 -g $(SAN) -MMD -MP -c -o $@ $<

build/rel/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -c -o $@ $<

build/asan/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O1 -g $(SAN) -c -o $@ $<

$(GEN): $(MIGRATIONS) scripts/embed-migrations.sh
	@mkdir -p $(dir $@)
	scripts/embed-migrations.sh $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

build/tests/%: tests/unit/%.c $(ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O1 -g $(SAN) -o $@ $< $(ASAN_OBJS) $(LIBS) $(shell pkg-config --libs cmocka)

# libFuzzer targets (clang): the sources are compiled once with fuzzer instrumentation, and each
# target links them with libFuzzer's main.
FUZZ_OBJS := $(patsubst src/%.c,build/fuzzobj/%.o,$(LIB_SRCS)) build/fuzzobj/gen/migrations.o
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined

build/fuzzobj/%.o: src/%.c
	@mkdir -p $(dir $@)
	clang $(CFLAGS_COMMON) $(FUZZ_FLAGS) -MMD -MP -c -o $@ $<

build/fuzzobj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	clang $(CFLAGS_COMMON) $(FUZZ_FLAGS) -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	clang $(CFLAGS_COMMON) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJS) $(LIBS)

run: deps
	@$(MAKE) --no-print-directory all web
	@scripts/run.sh

check: deps
	@$(MAKE) --no-print-directory all asan unit fuzz web
	@scripts/check.sh

bench: deps
	@$(MAKE) --no-print-directory all build/bench/kb_bench
	@bench/run.sh

# the knowledge-base engine benchmark links the release objects
build/bench/kb_bench: bench/kb_bench.c $(REL_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O2 -o $@ $< $(REL_OBJS) $(LIBS)

web:
	@if [ -f web/package.json ]; then scripts/build-web.sh; fi

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
