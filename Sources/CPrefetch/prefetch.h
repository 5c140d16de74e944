// A cache prefetch hint, which Swift cannot express: a stage that walks many scattered objects
// (events, hash-set slots) announces the ones a few places ahead, so their cache misses overlap
// instead of stalling one after another.
static inline void signalbox_prefetch(const void *address) {
    __builtin_prefetch(address);
}
