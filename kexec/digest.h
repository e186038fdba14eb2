/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UKEXEC_DIGEST_H
#define UKEXEC_DIGEST_H

#include <stdbool.h>
struct plan;

/*
 * kexec_calculate_store_digests(): SHA-256 over every segment except the
 * purgatory (and, with crash hotplug, the ELF core header), buf then zeros up
 * to memsz; the regions and digest are written into the purgatory's
 * purgatory_sha_regions and purgatory_sha256_digest. With skip_checks the
 * digest is not computed and the purgatory is told to skip its check.
 */
int kexec_calculate_store_digests(struct plan *plan, bool skip_checks);

#endif
