# hearth - the two commands a new user needs are `make run` and `make test`.
# Everything they need is installed here: Debian packages with apt-get, test
# tools with `npm ci` from the committed package-lock.json.

SHELL := /bin/bash
.DEFAULT_GOAL := build

DEB_PACKAGES := gcc make meson ninja-build pkg-config \
	libmicrohttpd-dev libsqlite3-dev libsodium-dev libjansson-dev libcmocka-dev libcmark-dev \
	sqlite3 chromium chromium-headless-shell clang postgresql libpq-dev nginx wrk curl \
	liboath-dev libqrencode-dev libzxcvbn-dev libicu-dev openssl clang-format \
	scdoc debhelper dpkg-dev lintian man-db \
	default-jre-headless python3-feedparser python3-yaml zlib1g-dev libcurl4-openssl-dev libssl-dev linux-perf gettext
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
LISTEN ?= 127.0.0.1:8080
DATA ?= ./hearth-data
ASAN_LOGS := $(CURDIR)/build-asan/asan-logs

.PHONY: deps deps-system deps-node build build-asan run test audit format format-check po test-po test-openapi test-unit test-e2e test-e2e-pg test-e2e-pg-partitions test-browser test-asan bench-smoke soak-smoke mutate clean deb test-deb

include fuzz/fuzz.mk

deps: deps-system deps-node

deps-system:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null && command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get install -y --no-install-recommends $$missing || \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends $$missing; }; \
	fi

deps-node: package-lock.json
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund; \
	fi

build/build.ninja:
	meson setup build -Dtest_hooks=true

# A build directory made before the test hooks existed gets them (the email tests need them). The
# check reads meson's introspection file: `meson configure` would start Python on every build.
HOOKS_ON = grep -qF '"name": "test_hooks", "value": true' $(1)/meson-info/intro-buildoptions.json
build: deps-system build/build.ninja
	@$(call HOOKS_ON,build) || meson configure build -Dtest_hooks=true
	ninja -C build

build-asan/build.ninja:
	meson setup build-asan -Dtest_hooks=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
	  -Dc_args=-fno-sanitize-recover=all

build-asan: deps-system build-asan/build.ninja
	@$(call HOOKS_ON,build-asan) || meson configure build-asan -Dtest_hooks=true
	ninja -C build-asan

run: deps build
	build/hearth --data $(DATA) serve --listen $(LISTEN)

test: deps build build-asan
	$(MAKE) --no-print-directory format-check
	$(MAKE) --no-print-directory test-po
	$(MAKE) --no-print-directory test-openapi
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory -j2 --output-sync=target test-e2e-pg test-e2e-pg-partitions
	$(MAKE) --no-print-directory test-browser
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory bench-smoke
	$(MAKE) --no-print-directory -j2 --output-sync=target soak-smoke test-deb
	@echo "All test suites passed."

# Lighthouse on the public home page, a couple's home, the check-in form and an article of a
# throw-away server: the four category scores of each (docs/audit.md). Not part of `make test`:
# the scores vary from run to run and with the machine's load.
audit: deps build
	node tools/audit.mjs

# Every C file as the repository's .clang-format lays it out (`make format` rewrites them).
FORMAT_FILES = git ls-files 'src/*.[ch]' 'tests/unit/*.[ch]' 'fuzz/*.[ch]' 'tools/*.[ch]'

format-check: deps-system
	clang-format --dry-run --Werror $$($(FORMAT_FILES))
	@echo "Formatting: every C file as .clang-format says."

format: deps-system
	clang-format -i $$($(FORMAT_FILES))

# The translations (issue 16): `make po` extracts every marked message from the C sources and the
# templates into po/hearth.pot and merges it into po/es.po and po/de.po, for translating;
# `make test-po` fails on a string a person reads that is not marked, on a stale catalogue, on an
# untranslated or fuzzy entry, and on a translation whose {{values}} or tags differ (docs/translating.md).
po: deps-system
	python3 tools/po-extract.py merge

test-po: deps-system
	python3 tools/po-extract.py check

# The API description (docs/openapi.yaml) linted with the pinned @redocly/cli and the rules of
# redocly.yaml; the end-to-end suites check it against the server's answers (tests/e2e/lib/openapi.mjs).
test-openapi: deps-node
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx --no-install redocly lint --config redocly.yaml docs/openapi.yaml

test-unit:
	meson test -C build --print-errorlogs

# Four files at a time: each file's server waits on its client and the client on the server, so
# with two about a third of the two cores stayed idle (196 s; 143 s with four).
test-e2e:
	node --test --test-concurrency=4 tests/e2e/

# The store tests and the whole API suite again on PostgreSQL, in a throwaway cluster started and removed by the script.
# Four files at a time: the round trips to PostgreSQL leave the cores idle otherwise. Each server
# gets a copy of a database `hearth migrate` made once per cluster (tests/e2e/lib/server.mjs).
# `make test` runs this and the next suite side by side (each its own cluster), as their waits
# leave room for each other.
test-e2e-pg:
	tests/pg/with-postgres.sh meson test -C build --suite store --print-errorlogs
	tests/pg/with-postgres.sh node --test --test-concurrency=4 tests/e2e/ tests/pg/

# And once more with every couple-owned table hash-partitioned by space_id into 8 partitions,
# the rules a distributed PostgreSQL imposes (docs/scaling.md).
test-e2e-pg-partitions:
	HEARTH_PG_PARTITIONS=8 tests/pg/with-postgres.sh node --test --test-concurrency=4 tests/e2e/ tests/pg/

# Two files at a time: one file keeps about 0.7 of a core busy (Chromium's latency), and each
# starts its own server, browser and data directory. No screenshots unless HEARTH_SCREENSHOT_DIR
# says where (tests/browser/README.md). Each file writes the pages it saw to build/vnu-pages and
# one run of the Nu HTML Checker validates them all afterwards: one Java start, not one per file.
VNU_PAGES = $(CURDIR)/build/vnu-pages

test-browser:
	rm -rf $(VNU_PAGES)
	HEARTH_VNU_DIR=$(VNU_PAGES) node --test --test-concurrency=2 tests/browser/
	node tests/browser/vnu.mjs $(VNU_PAGES)

# The unit and API suites again under AddressSanitizer and UBSan; any report fails the run.
test-asan:
	rm -rf $(ASAN_LOGS) && mkdir -p $(ASAN_LOGS) && chmod 1777 $(ASAN_LOGS)
	ASAN_OPTIONS=detect_leaks=1:log_path=$(ASAN_LOGS)/asan UBSAN_OPTIONS=print_stacktrace=1:log_path=$(ASAN_LOGS)/ubsan \
	  meson test -C build-asan --print-errorlogs
	ASAN_OPTIONS=detect_leaks=1:log_path=$(ASAN_LOGS)/asan UBSAN_OPTIONS=print_stacktrace=1:log_path=$(ASAN_LOGS)/ubsan \
	  HEARTH_BIN=build-asan/hearth HEARTH_SLOW=1 node --test --test-concurrency=4 tests/e2e/
	@if ls $(ASAN_LOGS)/* >/dev/null 2>&1; then echo "Sanitizer reports:"; cat $(ASAN_LOGS)/*; exit 1; fi
	@echo "Sanitizers: clean."

# A short run of the benchmark harness: every figure once, nothing judged (see bench/README.md).
bench-smoke:
	bench/run --smoke

# One minute of bench/soak's mixed load: the sampling and the report work, the server
# stays up and every request succeeds. A minute is too short to judge growth (the
# caches are still filling), so GROWTH (exit 3) is printed, not failed; the
# 30-minute soak is run by hand (see bench/README.md). `make test` runs it beside
# test-deb: a minute is a minute whatever share of the cores the load gets.
soak-smoke:
	@rc=0; bench/soak --duration 60 --spaces 20 --days 7 --users 16 || rc=$$?; \
	  [ $$rc -eq 0 ] || [ $$rc -eq 3 ]

# The hand-made mutants of tests/mutants/mutants.txt, each on a copy of the source
# (build-mutate/), with the tests named for it: every one must be caught. Not part of
# `make test` (4 to 6 minutes on 2 cores). NAME="a b" runs only those. Only the system
# packages: the tests it runs need nothing from node_modules.
mutate: deps-system
	node tests/mutants/run.mjs $(NAME)

# The Debian package, built by dpkg-buildpackage (debian/) from a copy of the files git
# knows (committed or not, untracked ones too unless ignored) in build-deb/hearth-VERSION,
# so that nothing lands in the source tree or its parent: the .deb ends up in build-deb/.
# It is rebuilt only when one of those files changed. The unit tests are neither built
# nor run inside it (nocheck): `make test` runs them.
DEB_VERSION = $(shell dpkg-parsechangelog -l debian/changelog -S Version)
DEB_ARCH = $(shell dpkg --print-architecture)
DEB_FILE = build-deb/hearth_$(DEB_VERSION)_$(DEB_ARCH).deb
DEB_SOURCES := $(wildcard $(shell git ls-files -co --exclude-standard 2>/dev/null))

deb: deps-system $(DEB_FILE)

$(DEB_FILE): $(DEB_SOURCES)
	rm -rf build-deb && mkdir -p build-deb/hearth-$(DEB_VERSION)
	git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C build-deb/hearth-$(DEB_VERSION)
	cd build-deb/hearth-$(DEB_VERSION) && DEB_BUILD_OPTIONS="nocheck $(DEB_BUILD_OPTIONS)" \
	  dpkg-buildpackage -us -uc -b > ../build.log 2>&1 || { tail -40 ../build.log; exit 1; }
	rm -rf build-deb/hearth-$(DEB_VERSION)
	@echo "Built $@ (the build's output: build-deb/build.log)"

# The package's test (tests/package/deb.test.mjs): lintian, its files and their modes,
# and the packaged binary run from an extracted tree.
test-deb: deb
	HEARTH_DEB=$(DEB_FILE) node --test tests/package/

clean:
	rm -rf build build-asan build-fuzz build-mutate build-deb
