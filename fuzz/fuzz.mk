# SPDX-License-Identifier: AGPL-3.0-or-later
# fuzz/fuzz.mk - libFuzzer targets for hearth's parsers and templates (see
# fuzz/README.md). Included by the top-level Makefile; also usable on its own
# from the repository root: make -f fuzz/fuzz.mk fuzz-build
#
#   fuzz-build   compiles build-fuzz/fuzz_<target> with clang, ASan and UBSan
#   fuzz         runs each target for FUZZ_SECONDS over its checked-in corpus;
#                new inputs go to build-fuzz/corpus/<target>, never into fuzz/
#   fuzz-smoke   runs each target for FUZZ_SMOKE_SECONDS over a copy of its corpus
#
# Every variable below may be overridden on the command line.

FUZZ_CC ?= clang
FUZZ_CFLAGS ?= -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -g -O1 \
	-std=c17 -D_GNU_SOURCE -Wall -Wextra -Isrc -Ibuild
FUZZ_PKG_CONFIG ?= pkg-config
FUZZ_OUT ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_ARGS ?=
FUZZ_TARGETS ?= query form cookie json template proxy jsonw

# The sources and libraries each target links: only what its code reaches.
FUZZ_SRC_query := src/util/util.c src/http/params.c src/http/response.c
FUZZ_PKGS_query := libsodium jansson
FUZZ_SRC_form := src/util/util.c src/http/params.c src/http/response.c src/domain/checkin.c fuzz/notice_stub.c src/domain/ack.c src/domain/keyring.c src/util/memo.c src/util/progress.c \
	src/domain/problem.c src/domain/page.c src/domain/text.c src/domain/visibility.c
FUZZ_PKGS_form := libsodium jansson
FUZZ_SRC_cookie := src/util/util.c src/http/params.c src/http/response.c
FUZZ_PKGS_cookie := libsodium jansson
FUZZ_SRC_json := src/util/util.c src/util/jsonw.c src/util/embedded.c build/embedded.c src/http/params.c src/http/response.c src/api/api.c src/api/checkin.c \
	src/domain/checkin.c fuzz/notice_stub.c src/domain/ack.c src/domain/keyring.c src/util/memo.c src/util/progress.c src/domain/problem.c src/domain/page.c src/domain/text.c src/domain/visibility.c
FUZZ_PKGS_json := libsodium jansson
FUZZ_SRC_template := src/util/util.c src/util/embedded.c src/util/i18n.c src/template/template.c build/embedded.c
FUZZ_PKGS_template := libsodium jansson
FUZZ_SRC_jsonw := src/util/util.c src/util/jsonw.c
FUZZ_PKGS_jsonw := libsodium jansson
FUZZ_SRC_proxy := src/http/proxy.c
FUZZ_PKGS_proxy := libsodium # not used; pkg-config wants a name

FUZZ_HEADERS := $(wildcard src/*.h src/*/*.h)

# Included from the top-level Makefile, depend on its `build` target (which
# runs ninja and so regenerates build/embedded.c); on its own, run ninja here.
ifeq ($(firstword $(MAKEFILE_LIST)),$(lastword $(MAKEFILE_LIST)))
FUZZ_BUILD_DEP ?= fuzz-ninja
.PHONY: fuzz-ninja
fuzz-ninja:
	@[ -f build/build.ninja ] || meson setup build
	ninja -C build
else
FUZZ_BUILD_DEP ?= build
endif

.PHONY: fuzz-build fuzz fuzz-smoke fuzz-clean

fuzz-build: $(FUZZ_BUILD_DEP) $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz_%)

$(FUZZ_OUT):
	mkdir -p $@

# One rule per target; the build dependency is order-only so that a parallel
# make generates build/embedded.c before any target compiles it.
define FUZZ_RULE
$(FUZZ_OUT)/fuzz_$(1): fuzz/fuzz_$(1).c $(FUZZ_SRC_$(1)) $(FUZZ_HEADERS) | $(FUZZ_BUILD_DEP) $(FUZZ_OUT)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(shell $$(FUZZ_PKG_CONFIG) --cflags $(FUZZ_PKGS_$(1))) \
		-o $$@ fuzz/fuzz_$(1).c $(FUZZ_SRC_$(1)) $$(shell $$(FUZZ_PKG_CONFIG) --libs $(FUZZ_PKGS_$(1)))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_RULE,$(t))))

# Runs each target in turn; all of them run even when one fails, and the
# recipe fails when any did. Crashing inputs land in $(FUZZ_OUT)/artifacts/.
fuzz: fuzz-build
	@status=0; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_OUT)/corpus/$$t $(FUZZ_OUT)/artifacts; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_OUT)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_OUT)/artifacts/$$t- $(FUZZ_ARGS) \
	    $(FUZZ_OUT)/corpus/$$t fuzz/corpus/$$t || status=1; \
	done; \
	exit $$status

# The smoke runs FUZZ_SMOKE_JOBS targets at a time (one per core of the 2-core machine `make test`
# is sized for), each into its own log, printed when it ends: the same fuzzing in half the time.
FUZZ_SMOKE_JOBS ?= 2

fuzz-smoke: fuzz-build
	@rm -rf $(FUZZ_OUT)/smoke; mkdir -p $(FUZZ_OUT)/smoke $(FUZZ_OUT)/artifacts; \
	for t in $(FUZZ_TARGETS); do cp -R fuzz/corpus/$$t $(FUZZ_OUT)/smoke/$$t; done; \
	printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(FUZZ_SMOKE_JOBS) -I{} sh -c ' \
	  if $(FUZZ_OUT)/fuzz_{} -max_total_time=$(FUZZ_SMOKE_SECONDS) -print_final_stats=1 \
	       -artifact_prefix=$(FUZZ_OUT)/artifacts/{}- $(FUZZ_ARGS) \
	       $(FUZZ_OUT)/smoke/{} >$(FUZZ_OUT)/smoke/{}.log 2>&1; then \
	    echo "== fuzz_{} for $(FUZZ_SMOKE_SECONDS) s: $$(grep -m 1 "stat::number_of_executed_units" $(FUZZ_OUT)/smoke/{}.log)"; \
	  else \
	    echo "== fuzz_{} FAILED:"; cat $(FUZZ_OUT)/smoke/{}.log; exit 1; \
	  fi'

fuzz-clean:
	rm -rf $(FUZZ_OUT)
