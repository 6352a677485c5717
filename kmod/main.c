// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
static int __init ipo_init(void) { return 0; }
static void __exit ipo_exit(void) { }
module_init(ipo_init);
module_exit(ipo_exit);
MODULE_LICENSE("GPL");
