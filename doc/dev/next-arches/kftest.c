/* kftest KERNEL INITRD|- CMDLINE [crash] [exec] [debug]
 * kexec_file_load(kernel_fd, initrd_fd, len, cmdline, flags); prints the result
 * and /sys/kernel/kexec_{loaded,crash_loaded}; "exec" then reboot(KEXEC).
 * "debug" adds KEXEC_FILE_DEBUG (6.7+: the loader's segment lines are
 * kexec_dprintk, no longer pr_debug), dropped again when the kernel says EINVAL. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/reboot.h>
static void show(const char *p) {
	char b[64] = ""; int fd = open(p, O_RDONLY);
	if (fd >= 0) { ssize_t n = read(fd, b, sizeof b - 1); if (n > 0) b[n] = 0; close(fd); }
	printf("kftest: %s = %s", p, b[0] ? b : "?\n");
}
int main(int argc, char **argv) {
	if (argc < 4) { fprintf(stderr, "usage: kftest KERNEL INITRD|- CMDLINE [crash] [exec]\n"); return 2; }
	unsigned long flags = 0; int exec = 0;
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "crash")) flags |= 2; /* KEXEC_FILE_ON_CRASH */
		if (!strcmp(argv[i], "exec")) exec = 1;
		if (!strcmp(argv[i], "debug")) flags |= 8; /* KEXEC_FILE_DEBUG */
	}
	int kfd = open(argv[1], O_RDONLY), ifd = -1;
	if (strcmp(argv[2], "-")) ifd = open(argv[2], O_RDONLY); else flags |= 4; /* KEXEC_FILE_NO_INITRAMFS */
	if (kfd < 0 || (ifd < 0 && !(flags & 4))) { perror("kftest: open"); return 1; }
	long r = syscall(__NR_kexec_file_load, kfd, ifd, strlen(argv[3]) + 1, argv[3], flags);
	int e = errno;
	if (r && e == EINVAL && (flags & 8)) {
		printf("kftest: kexec_file_load(flags=%#lx) = EINVAL: retrying without KEXEC_FILE_DEBUG\n", flags);
		flags &= ~8UL;
		r = syscall(__NR_kexec_file_load, kfd, ifd, strlen(argv[3]) + 1, argv[3], flags);
		e = errno;
	}
	printf("kftest: kexec_file_load(flags=%#lx) = %ld%s%s\n", flags, r, r ? " errno " : "", r ? strerror(e) : "");
	show("/sys/kernel/kexec_loaded");
	show("/sys/kernel/kexec_crash_loaded");
	show("/sys/kernel/kexec_crash_size");
	fflush(stdout);
	if (r == 0 && exec && !(flags & 2)) {
		sync();
		r = syscall(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_KEXEC, 0);
		printf("kftest: reboot(KEXEC) = %ld errno %s\n", r, strerror(errno));
	}
	return r ? 1 : 0;
}
