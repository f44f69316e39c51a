# SPDX-License-Identifier: GPL-2.0
#
# ptwalk: the module is built by Kbuild (see Kbuild) once per guest kernel;
# this Makefile drives that, the static user-space tools and the guests.
#
#   make demo     boot a guest, load ptwalk.ko, inspect a real process
#   make check    everything: build, lint, selftests in every guest lane
#   make bench    ptwalk against /proc/PID/pagemap, ratios, in one guest
#
# Kbuild also reads this file when invoked with M=: hand over to it then.
ifneq ($(KERNELRELEASE),)
include $(src)/Kbuild
else

BUILD      ?= $(CURDIR)/build
KERNELS    ?= /var/cache/ptwalk/kernels
KSELFTEST  ?= /usr/src/linux-source-6.1/tools/testing/selftests
CC         ?= cc
USER_CFLAGS = -O2 -g -Wall -Wextra -static -I$(CURDIR)/include/uapi
# the kselftest harness is written for -Wall, not -Wextra
TEST_CFLAGS = -O2 -g -Wall -static -I$(CURDIR)/include/uapi -I$(KSELFTEST)
MOD_SRCS    = Kbuild $(wildcard *.c *.h) $(shell find include -name '*.h')
TOOL_SRCS   = tools/ptwalk.c tools/render.c tools/render_maps.c tools/svg.c \
	      tools/fallback.c tools/names.c
TEST_HDRS   = $(wildcard selftests/*.h)
TESTS       = ptwalk_test vmstat_test maps_test
BINS        = $(BUILD)/bin/ptwalk $(BUILD)/bin/demo_target $(BUILD)/bin/ptwalk_bench \
	      $(TESTS:%=$(BUILD)/bin/%)

.PHONY: all deps modules tools initramfs demo check bench lint clean

all: modules tools initramfs

deps:
	@scripts/install-deps.sh

modules: deps
	@scripts/build-modules.sh

tools: deps $(BINS)

$(BUILD)/bin/ptwalk: $(TOOL_SRCS) tools/*.h include/uapi/linux/ptwalk.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -o $@ $(TOOL_SRCS) -ljson-c -lm

$(BUILD)/bin/demo_target: tools/demo_target.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -o $@ $<

$(BUILD)/bin/ptwalk_bench: bench/ptwalk_bench.c include/uapi/linux/ptwalk.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -Wno-missing-field-initializers -Wno-unused-parameter -o $@ $<

$(BUILD)/bin/%_test: selftests/%_test.c selftests/oracle.c $(TEST_HDRS) include/uapi/linux/ptwalk.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -o $@ $< selftests/oracle.c -lpthread

initramfs: modules tools
	@scripts/mkinitramfs.sh

demo: all
	@scripts/run-guests.sh demo

check: all lint
	@scripts/run-guests.sh check

bench: all
	@scripts/run-guests.sh bench

lint: deps
	@scripts/lint.sh

clean:
	rm -rf $(BUILD)

endif
