# SPDX-License-Identifier: GPL-2.0-only
#
# The SEV host stack: build, test and demo entry points. Nothing is built
# inside the repository; every tree lives in $(SEVSTACK_CACHE)
# (default ~/.cache/sevstack). KVER is the kernel of the installed
# linux-image-amd64 package (scripts/env.sh), not the running kernel.
#
#   make            modules + tools
#   make modules    sev-psp.ko, sev-emu.ko and kvm-amd.ko against
#                   /usr/src/linux-headers-$(KVER)
#   make tools      userspace tools and tests
#   make kunit      KUnit suites under UML, then in an x86_64 kernel under
#                   QEMU (scripts/kunit.sh [--x86_64])
#   make vmtest     the /dev/sev and KVM SEV tests in the QEMU VM
#   make style      checkpatch --strict, sparse and W=1 on every C file
#   make check      every test layer; last line "N passed, N failed"
#   make demo       boot the VM; host and owner launch OVMF with QEMU as an SEV guest
#   make demo-es    the same for an SEV-ES guest (2 vCPUs, VMSAs, the TCG limit)
#   make bench      the benchmarks (bench/); bench-smoke: one quick pass
#   make debug-kernel  the KASAN/lockdep/kmemleak/UBSAN/failslab kernel
#   make check-debug   the VM layers on it (scripts/check-debug.sh)
#   make soak       the fuzzer and stress for a long bounded run, not in
#                   make check (scripts/soak.sh; SOAK_KERNEL=debug: on the
#                   debug kernel, 60 minutes)
#   make install    install kvm-amd.ko for the built kernel (INSTALL_FLAGS:
#                   --psp --emu --dkms --uninstall; DESTDIR=...;
#                   scripts/install.sh, Documentation/admin-guide/sev-epyc.rst)
#   make uninstall  remove what make install put there (DKMS included)
#   make setup      install the Debian packages
#   make clean      remove the build trees in the cache

SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
export SEVSTACK_CACHE ?= $(HOME)/.cache/sevstack
TOOLS_O := $(SEVSTACK_CACHE)/tools

.PHONY: all setup modules tools kunit vmtest style check demo install clean

all: modules tools

setup:
	@$(ROOT)/scripts/setup.sh

modules: setup
	@$(ROOT)/scripts/modules.sh modules
	@$(ROOT)/scripts/build-kvm-amd.sh >/dev/null

tools: setup
	$(MAKE) -C $(ROOT)/tools/testing O=$(TOOLS_O)
	$(MAKE) -C $(ROOT)/tools/sev O=$(TOOLS_O)/sev
	$(MAKE) -C $(ROOT)/tools/sev-fwimage O=$(TOOLS_O)/sev-fwimage

kunit: setup
	@$(ROOT)/scripts/kunit.sh
	@$(ROOT)/scripts/kunit.sh --x86_64

vmtest: modules tools
	$(ROOT)/tools/testing/vm/run.sh --timeout 2400 -- \
		$(ROOT)/tools/testing/sev/run-vm-tests.sh $(TOOLS_O)
	$(ROOT)/tools/testing/vm/run.sh --timeout 1200 -- \
		$(ROOT)/tools/testing/kvm/run-vm-tests.sh $(TOOLS_O)

style: setup
	@$(ROOT)/scripts/check.sh style

# setup failing must not stop the run: check.sh counts what can't run
check:
	@$(ROOT)/scripts/setup.sh || echo "check: setup failed; layers that need missing packages will fail"
	@$(ROOT)/scripts/check.sh

demo:
	@$(ROOT)/scripts/demo.sh

.PHONY: demo-es
demo-es:
	@$(ROOT)/scripts/demo-es.sh

# --dkms builds through DKMS (dkms.conf) and --uninstall builds nothing:
# neither needs the modules of the cache
.PHONY: uninstall
install: $(if $(filter --dkms --uninstall,$(INSTALL_FLAGS)),,modules)
	@$(ROOT)/scripts/install.sh $(INSTALL_FLAGS)

uninstall:
	@$(ROOT)/scripts/install.sh --uninstall

# the debug kernel (tens of minutes the first time) and the VM layers on it
.PHONY: debug-kernel check-debug
debug-kernel: setup
	@$(ROOT)/scripts/build-debug-kernel.sh

check-debug: setup
	@$(ROOT)/scripts/check-debug.sh

# the long reliability run (about 35 min; 60 on the debug kernel)
.PHONY: soak
soak: setup
	@if [ "$${SOAK_KERNEL:-stock}" = stock ]; then $(MAKE) -s modules tools; fi
	@$(ROOT)/scripts/soak.sh

# the benchmarks of bench/ in one VM (< 15 min); bench-smoke: one quick pass
.PHONY: bench bench-smoke
bench: modules
	@$(ROOT)/bench/run.sh

bench-smoke: modules
	@$(ROOT)/bench/run.sh --smoke

clean:
	. $(ROOT)/scripts/env.sh && rm -rf "$$SEVSTACK_CACHE/mod" \
		"$$SEVSTACK_CACHE/mod-check" "$$SEVSTACK_CACHE/tools" \
		"$$SEVSTACK_CACHE/kunit/build" \
		"$$SEVSTACK_CACHE/kunit/build-x86_64" "$$SEVSTACK_CACHE/vm" \
		"$$SEVSTACK_CACHE/check" "$$SEVSTACK_CACHE/demo" \
		"$$SEVSTACK_CACHE/demo-es" \
		"$$SEVSTACK_CACHE/kvm-amd"
