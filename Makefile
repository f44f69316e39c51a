# SPDX-License-Identifier: GPL-2.0
#
# ptwalk: the module is built by Kbuild (see Kbuild); this Makefile drives
# that for the machine's own kernel, for the guest kernels, the static
# user-space tools and the guests.
#
#   make          ptwalk.ko for the running kernel (KVER=, KDIR=) and the CLI
#   make install  the module (depmod), the CLI, man pages, the udev rule
#                 (DESTDIR=, PREFIX=, UDEVDIR=); make uninstall
#   make demo     boot a guest, load ptwalk.ko, inspect a real process
#   make check    everything: build, lint, selftests in every guest lane
#   make bench    ptwalk against /proc/PID/pagemap, ratios, in one guest
#
# Kbuild also reads this file when invoked with M=: hand over to it then.
ifneq ($(KERNELRELEASE),)
include $(src)/Kbuild
else

BUILD      ?= $(CURDIR)/build
VERSION    := $(shell cat $(CURDIR)/VERSION)
KVER       ?= $(shell uname -r)
KDIR       ?= /lib/modules/$(KVER)/build
PREFIX     ?= /usr/local
UDEVDIR    ?= /etc/udev/rules.d
MODDIR      = $(BUILD)/module/$(KVER)
DKMS_SRC    = $(BUILD)/dkms/ptwalk-$(VERSION)
KERNELS    ?= /var/cache/ptwalk/kernels
KSELFTEST  ?= /usr/src/linux-source-6.1/tools/testing/selftests
CC         ?= cc
USER_CFLAGS = -O2 -g -Wall -Wextra -static -I$(CURDIR)/include/uapi \
	      -DPTWALK_VERSION='"$(VERSION)"'
# the kselftest harness is written for -Wall, not -Wextra
TEST_CFLAGS = -O2 -g -Wall -static -I$(CURDIR)/include/uapi -I$(KSELFTEST)
MOD_SRCS    = Kbuild $(wildcard *.c *.h) $(shell find include -name '*.h')
MOD_FILES   = Kbuild $(wildcard *.c *.h)
TOOL_SRCS   = tools/ptwalk.c tools/render.c tools/render_maps.c tools/svg.c \
	      tools/fallback.c tools/names.c
TEST_HDRS   = $(wildcard selftests/*.h)
TESTS       = ptwalk_test vmstat_test maps_test hold_test fuzz_test soak_test
BINS        = $(BUILD)/bin/ptwalk $(BUILD)/bin/demo_target $(BUILD)/bin/ptwalk_bench \
	      $(TESTS:%=$(BUILD)/bin/%)

.PHONY: module install uninstall dkms-source all deps modules tools initramfs demo check \
	bench lint clean debug-kernel check-vng

# The machine's own kernel: no QEMU, no apt.
module: $(BUILD)/bin/ptwalk
	@test -d $(KDIR)/ || { echo "make module: no kernel build tree at $(KDIR):" \
		"install linux-headers-$(KVER), or give KVER= or KDIR=" >&2; exit 1; }
	@mkdir -p $(MODDIR)
	@cp -u $(MOD_FILES) $(MODDIR)/ && cp -ru include $(MODDIR)/
	$(MAKE) -C $(KDIR) M=$(MODDIR) modules
	@echo "built $(MODDIR)/ptwalk.ko (for $(KVER)) and $(BUILD)/bin/ptwalk"

# depmod and the group only on a live install: a DESTDIR is a package's.
install: module
	$(MAKE) -C $(KDIR) M=$(MODDIR) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates \
		modules_install
	install -D -m 755 $(BUILD)/bin/ptwalk $(DESTDIR)$(PREFIX)/bin/ptwalk
	install -D -m 644 man/ptwalk.8 $(DESTDIR)$(PREFIX)/share/man/man8/ptwalk.8
	install -D -m 644 man/ptwalk.4 $(DESTDIR)$(PREFIX)/share/man/man4/ptwalk.4
	install -D -m 644 udev/60-ptwalk.rules $(DESTDIR)$(UDEVDIR)/60-ptwalk.rules
	@if [ -z "$(DESTDIR)" ]; then \
		depmod -a $(KVER) && \
		{ getent group ptwalk >/dev/null || groupadd --system ptwalk; } && \
		{ udevadm control --reload 2>/dev/null || true; } && \
		echo "installed: modprobe ptwalk; add users to the ptwalk group for /dev/ptwalk"; \
	else echo "installed into $(DESTDIR) (run depmod $(KVER) and add a ptwalk group there)"; fi

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/ptwalk.ko* \
		$(DESTDIR)$(PREFIX)/bin/ptwalk $(DESTDIR)$(PREFIX)/share/man/man8/ptwalk.8 \
		$(DESTDIR)$(PREFIX)/share/man/man4/ptwalk.4 $(DESTDIR)$(UDEVDIR)/60-ptwalk.rules
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

# The module's source as DKMS wants it: dkms add $(DKMS_SRC)
dkms-source:
	@rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)
	@cp $(MOD_FILES) dkms.conf $(DKMS_SRC)/ && cp -r include $(DKMS_SRC)/
	@echo "$(DKMS_SRC)"

all: modules tools initramfs

deps:
	@scripts/install-deps.sh

# The debug lane's kernel (scripts/build-debug-kernel.sh, cached): make check
# builds it before the modules, so that ptwalk.ko is built for it as well.
modules: deps $(if $(filter check,$(MAKECMDGOALS)),debug-kernel)
	@scripts/build-modules.sh

debug-kernel: deps
	@scripts/build-debug-kernel.sh

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
	@scripts/install-check.sh
	@scripts/run-guests.sh check

# the selftests under virtme-ng (vng from trixie): VNG_KERNELS=KVER... for others
check-vng: all
	@scripts/vng-check.sh $(VNG_KERNELS)

# Wall-clock under TCG, then instructions (the guest's clock counts them:
# the same every run, whatever the host's load).  The wall-clock (f) runs
# on 6.12: its rounds re-arm the fault probe, and 6.1's kretprobe Oopses
# on a stale int3 under TCG with two vCPUs (the counting guest has one).
bench: all
	@PTWALK_GUEST_APPEND="ptwalk_bench_cases=abcde $${PTWALK_GUEST_APPEND:-}" scripts/run-guests.sh bench
	@PTWALK_GUEST_APPEND="ptwalk_bench_cases=f $${PTWALK_GUEST_APPEND:-}" scripts/run-guests.sh bench 6.12-5level
	@PTWALK_QEMU_ICOUNT=shift=2 scripts/run-guests.sh bench

lint: deps
	@scripts/lint.sh

clean:
	rm -rf $(BUILD)

endif
