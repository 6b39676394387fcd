/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of the SEV-ES pieces of libsevtools (unit-es.c).
 */

#ifndef _SEVTOOLS_UNIT_ES_H
#define _SEVTOOLS_UNIT_ES_H

/* CPU signatures, VMSA builder and view, OVMF footer table; TAP lines */
void unit_es_tests(const char *ovmf_dir);

#endif /* _SEVTOOLS_UNIT_ES_H */
