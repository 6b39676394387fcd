/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fuzz entry point shared by the libFuzzer and mutation-loop builds.
 */

#ifndef _SEVTOOLS_FUZZ_H
#define _SEVTOOLS_FUZZ_H

#include "sevtypes.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY fuzz_one
#endif

int FUZZ_ENTRY(const u8 *data, size_t size);

#endif /* _SEVTOOLS_FUZZ_H */
