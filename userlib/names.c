// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - names of the uapi enums of VMs, exits and statistics
 * (vendors, extensions and capability flags are in caps.c).
 */
#include "libmultios_hv.h"

#define NAME_OF_OR(table, i, none) \
	((i) < sizeof(table) / sizeof((table)[0]) && (table)[i] ? \
	 (table)[i] : (none))
#define NAME_OF(table, i)	NAME_OF_OR(table, i, "unknown")

const char *mhv_vm_state_name(uint32_t state)
{
	static const char *const n[] = {
		[MHV_VM_CREATED] = "CREATED", [MHV_VM_RUNNING] = "RUNNING",
		[MHV_VM_PAUSED] = "PAUSED", [MHV_VM_STOPPED] = "STOPPED",
		[MHV_VM_ERROR] = "ERROR",
	};
	return NAME_OF(n, state);
}

const char *mhv_exit_reason_name(uint32_t reason)
{
	static const char *const n[] = {
		[MHV_EXIT_NONE] = "NONE", [MHV_EXIT_IO] = "IO",
		[MHV_EXIT_MMIO] = "MMIO", [MHV_EXIT_HLT] = "HLT",
		[MHV_EXIT_SHUTDOWN] = "SHUTDOWN",
		[MHV_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[MHV_EXIT_UNKNOWN] = "UNKNOWN", [MHV_EXIT_INTR] = "INTR",
		[MHV_EXIT_STOPPED] = "STOPPED",
		[MHV_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[MHV_EXIT_DEBUG_EXIT] = "DEBUG_EXIT",
		[MHV_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[MHV_EXIT_CONSOLE] = "CONSOLE",
		[MHV_EXIT_RESET] = "RESET",
		[MHV_EXIT_POWEROFF] = "POWEROFF",
	};
	return NAME_OF(n, reason);
}

const char *mhv_error_name(uint32_t error)
{
	static const char *const n[] = {
		[MHV_ERR_NONE] = "none",
		[MHV_ERR_TRIPLE_FAULT] = "triple fault",
		[MHV_ERR_ENTRY_FAILED] = "VM entry failed (invalid guest state)",
		[MHV_ERR_UNKNOWN_EXIT] = "unhandled exit",
		[MHV_ERR_INTERNAL] = "internal error (emulation or memory)",
	};
	return NAME_OF(n, error);
}

const char *mhv_stat_name(unsigned int stat)
{
	static const char *const n[] = {
		[MHV_STAT_EXITS] = "exits", [MHV_STAT_USER_EXITS] = "user_exits",
		[MHV_STAT_CPUID] = "cpuid", [MHV_STAT_HLT] = "hlt",
		[MHV_STAT_IO] = "io", [MHV_STAT_IO_STRING] = "io_string",
		[MHV_STAT_MMIO] = "mmio", [MHV_STAT_MSR_READ] = "msr_read",
		[MHV_STAT_MSR_WRITE] = "msr_write", [MHV_STAT_MSR_GP] = "msr_gp",
		[MHV_STAT_NPF] = "npf", [MHV_STAT_INTR] = "intr",
		[MHV_STAT_NMI] = "nmi", [MHV_STAT_SHUTDOWN] = "shutdown",
		[MHV_STAT_FAIL_ENTRY] = "fail_entry",
		[MHV_STAT_UNKNOWN] = "unknown_exit", [MHV_STAT_SIGNAL] = "signal",
		[MHV_STAT_UD] = "ud_injected",
		[MHV_STAT_CR_WRITE] = "cr_write", [MHV_STAT_CR_GP] = "cr_gp",
		[MHV_STAT_DR_ACCESS] = "dr_access", [MHV_STAT_DB] = "db",
		[MHV_STAT_AC] = "ac", [MHV_STAT_MC] = "mc",
		[MHV_STAT_CACHE] = "cache_insn", [MHV_STAT_RDPMC] = "rdpmc",
		[MHV_STAT_DEV_IO] = "dev_io", [MHV_STAT_DEV_MMIO] = "dev_mmio",
		[MHV_STAT_IRQ_INJECTED] = "irq_injected",
		[MHV_STAT_EXC_INJECTED] = "exc_injected",
		[MHV_STAT_IRQ_WINDOW] = "irq_window",
		[MHV_STAT_HALT_SLEEP] = "halt_sleep",
		[MHV_STAT_HALT_WAKEUP] = "halt_wakeup",
		[MHV_STAT_REINJECT] = "reinject",
		[MHV_STAT_CONSOLE] = "console",
		[MHV_STAT_NPF_4K] = "npf_4k",
		[MHV_STAT_NPF_2M] = "npf_2m",
		[MHV_STAT_NPF_1G] = "npf_1g",
		[MHV_STAT_SKIP_NRIP] = "skip_nrip",
		[MHV_STAT_SKIP_DECODE] = "skip_decode",
		[MHV_STAT_INSN_ASSIST] = "insn_assist",
		[MHV_STAT_VMRUN_CLEAN] = "vmrun_clean",
		[MHV_STAT_FLUSH_ASID] = "flush_asid",
		[MHV_STAT_APIC_IRQ] = "apic_irq",
		[MHV_STAT_NMI_INJECTED] = "nmi_injected",
		[MHV_STAT_PIC_ACK] = "pic_ack",
	};
	return NAME_OF(n, stat);
}

const char *mhv_vm_state_desc(uint32_t state)
{
	static const char *const n[] = {
		[MHV_VM_CREATED] = "no vCPU has run yet",
		[MHV_VM_RUNNING] = "a vCPU is running guest code right now",
		[MHV_VM_PAUSED] = "its vCPUs ran and returned to the program (after a HLT, an exit limit, or any exit handled in userspace); nothing runs it now, it could run again",
		[MHV_VM_STOPPED] = "its program stopped it for good with MHV_STOP_VM: after Ctrl-C or a timeout, or, with several vCPUs, the other vCPUs once one ended the guest (power-off, reset, HLT, debug-exit)",
		[MHV_VM_ERROR] = "the guest cannot continue (triple fault, refused entry, unhandled exit)",
	};
	return NAME_OF_OR(n, state, "");
}

const char *mhv_stat_desc(unsigned int stat)
{
	static const char *const n[] = {
		[MHV_STAT_EXITS] = "every VM exit, whoever handled it",
		[MHV_STAT_USER_EXITS] = "exits handed to the program (port I/O, MMIO, HLT, stops); the kernel handled all others itself",
		[MHV_STAT_CPUID] = "CPUID, answered by the module from the VM's CPUID table",
		[MHV_STAT_HLT] = "HLT instructions: handed to the program, unless they slept in the kernel (halt_sleep)",
		[MHV_STAT_IO] = "port I/O (IN/OUT), each handed to the program",
		[MHV_STAT_IO_STRING] = "... of which string I/O (INS/OUTS)",
		[MHV_STAT_MMIO] = "accesses outside guest memory, decoded and handed to the program",
		[MHV_STAT_MSR_READ] = "RDMSR, emulated by the module",
		[MHV_STAT_MSR_WRITE] = "WRMSR, emulated by the module",
		[MHV_STAT_MSR_GP] = "accesses to MSRs the module does not offer: #GP injected",
		[MHV_STAT_NPF] = "nested page faults: first touch of a guest page, mapped by the module",
		[MHV_STAT_INTR] = "host interrupts (timer, IPIs) while the guest ran: the host took them, the guest went on",
		[MHV_STAT_NMI] = "host NMIs while the guest ran",
		[MHV_STAT_SHUTDOWN] = "triple faults: the guest is dead",
		[MHV_STAT_FAIL_ENTRY] = "entries the CPU refused (invalid guest state)",
		[MHV_STAT_UNKNOWN] = "exits the module cannot handle",
		[MHV_STAT_SIGNAL] = "MHV_RUN returned for a signal",
		[MHV_STAT_UD] = "#UD injected (VMRUN, XSETBV, ... are not for this guest)",
		[MHV_STAT_CR_WRITE] = "MOV to CR0/CR4, checked by the module",
		[MHV_STAT_CR_GP] = "... refused: #GP injected",
		[MHV_STAT_DR_ACCESS] = "MOV to/from DR0-DR7, emulated",
		[MHV_STAT_DB] = "#DB exceptions, given to the guest",
		[MHV_STAT_AC] = "#AC exceptions, given to the guest",
		[MHV_STAT_MC] = "machine checks: the host's handler ran",
		[MHV_STAT_CACHE] = "INVD/WBINVD/WBNOINVD, skipped",
		[MHV_STAT_RDPMC] = "RDPMC: #GP injected",
		[MHV_STAT_DEV_IO] = "port I/O completed by an in-kernel device, not handed to the program",
		[MHV_STAT_DEV_MMIO] = "MMIO completed by an in-kernel device, not handed to the program",
		[MHV_STAT_IRQ_INJECTED] = "external interrupts delivered to the guest (from devices or MHV_INTERRUPT)",
		[MHV_STAT_EXC_INJECTED] = "exceptions queued by the program (MHV_QUEUE_EXCEPTION)",
		[MHV_STAT_IRQ_WINDOW] = "interrupt-window exits: an interrupt waited for RFLAGS.IF or the end of an interrupt shadow",
		[MHV_STAT_HALT_SLEEP] = "HLT slept in the kernel, because an in-kernel device would wake it",
		[MHV_STAT_HALT_WAKEUP] = "... woken by an interrupt",
		[MHV_STAT_REINJECT] = "events an exit interrupted (an interrupt or exception being delivered), delivered again",
		[MHV_STAT_CONSOLE] = "UART output handed to the program in the run page",
		[MHV_STAT_NPF_4K] = "nested page faults that mapped a 4 KiB page",
		[MHV_STAT_NPF_2M] = "nested page faults that mapped a 2 MiB page",
		[MHV_STAT_NPF_1G] = "nested page faults that mapped a 1 GiB page",
		[MHV_STAT_SKIP_NRIP] = "instructions skipped to the next RIP the CPU gave (SVM NRIP save or an I/O exit's EXITINFO2, VT-x exit instruction length)",
		[MHV_STAT_SKIP_DECODE] = "instructions skipped by a length the module knew or decoded (no NRIP save, MMIO)",
		[MHV_STAT_INSN_ASSIST] = "exits the CPU described (decode assists: instruction bytes, CR/DR register, string I/O segment): nothing fetched from guest memory",
		[MHV_STAT_VMRUN_CLEAN] = "VMRUNs with VMCB clean bits: the CPU reloaded only what the module changed",
		[MHV_STAT_FLUSH_ASID] = "guest TLB flushes of the vCPU's ASID alone (SVM flush-by-ASID), not by a new ASID",
		[MHV_STAT_APIC_IRQ] = "interrupts the guest took from its local APIC (IRR to ISR)",
		[MHV_STAT_NMI_INJECTED] = "NMIs delivered to the guest (MHV_NMI, the local APIC)",
		[MHV_STAT_PIC_ACK] = "interrupts the 8259 PIC gave the vCPU (INTA cycles, MHV_VM_F_IRQCHIP)",
	};
	return NAME_OF_OR(n, stat, "");
}
