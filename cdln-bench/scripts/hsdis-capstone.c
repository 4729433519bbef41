/*
 * A minimal HotSpot disassembler plugin on the Capstone library, for reading the machine code C2
 * makes of cdln's kernels (-XX:+PrintAssembly, -XX:CompileCommand=print,...). Debian 12's own
 * plugin (libhsdis0-fcml) exports only the old entry point and is ignored by JDK 17; the JDK
 * looks for `decode_instructions_virtual`, implemented here.
 *
 *   apt-get install -y libcapstone-dev
 *   gcc -O2 -shared -fPIC -o hsdis-amd64.so hsdis-capstone.c -lcapstone
 *   cp hsdis-amd64.so "$(dirname "$(dirname "$(readlink -f "$(which java)")")")/lib/server/"
 *   java --add-modules jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions \
 *        -XX:CompileCommand=print,org.cdln.problem.VectorPaddedRegisterKernel::row ...
 *
 * Capstone 4 (Debian 12) misreads some EVEX-encoded instructions (it prints them as byte
 * sequences of other instructions); -XX:UseAVX=2 makes C2 emit VEX code only, which it reads
 * cleanly. A diagnostic aid only: nothing in the build or the tests uses it.
 */
#include <stdint.h>
#include <capstone/capstone.h>

typedef void *(*event_callback_t)(void *stream, const char *event, void *arg);
typedef int (*printf_callback_t)(void *stream, const char *format, ...);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer,
                                  uintptr_t length, event_callback_t event_callback,
                                  void *event_stream, printf_callback_t printf_callback,
                                  void *printf_stream, const char *options, int newline) {
    (void) end_va;
    (void) options;
    csh handle;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
        return NULL;
    }
    cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
    cs_option(handle, CS_OPT_SKIPDATA, CS_OPT_ON);   /* keep going past bytes it cannot decode */
    cs_insn *insn;
    size_t count = cs_disasm(handle, buffer, length, start_va, 0, &insn);
    uintptr_t next = start_va;
    for (size_t i = 0; i < count; i++) {
        if (event_callback) {
            event_callback(event_stream, "insn", (void *) (uintptr_t) insn[i].address);
        }
        printf_callback(printf_stream, "%s\t%s", insn[i].mnemonic, insn[i].op_str);
        if (event_callback) {
            event_callback(event_stream, "/insn", (void *) (uintptr_t) (insn[i].address + insn[i].size));
        }
        if (newline) {
            printf_callback(printf_stream, "\n");
        }
        next = insn[i].address + insn[i].size;
    }
    if (count > 0) {
        cs_free(insn, count);
    }
    cs_close(&handle);
    return (void *) next;
}
