// Ends one path's section of kernels.c: forgets the macros that kernels_body.h and cppn_body.h
// were compiled with, so the next path defines its own (no include guard on purpose).
#undef TILE
#undef NV
#undef FMA
#undef V
#undef W
#undef SFX
#undef TARGET
#undef LOAD
#undef STORE
#undef SET1
#undef ADD
#undef SUB
#undef MUL
#undef DIV
#undef MIN
#undef MAX
#undef NEG
#undef XOR_SIGN
#undef EXPBITS
#undef BITS
#undef FLOATS
