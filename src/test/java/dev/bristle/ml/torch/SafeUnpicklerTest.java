package dev.bristle.ml.torch;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Pickles below were produced with CPython 3.11's pickle module (and numpy 2.4) and embedded as hex. */
class SafeUnpicklerTest {

    /** {'name':'x','ints':[0,255,65535,-1,2**31,2**40,-2**40],'f':2.5,'b':b'yz','none':None,'t':(True,False)} */
    private static final String PLAIN_PROTOCOL_2 = "80027d71002858040000006e616d65710158010000007871025804000000696e7"
            + "47371035d7104284b004bff4dffff4affffffff8a0500000080008a060000000000018a060000000000ff655801000000667105"
            + "4740040000000000005801000000627106635f636f646563730a656e636f64650a71075802000000797a710858060000006c61"
            + "74696e31710986710a52710b58040000006e6f6e65710c4e580100000074710d888986710e752e";
    /** The same dict plus 's': {3}, protocol 5 (FRAME, MEMOIZE, SHORT_BINUNICODE, SHORT_BINBYTES, EMPTY_SET). */
    private static final String PLAIN_PROTOCOL_5 = "8005956e000000000000007d94288c046e616d65948c0178948c04696e7473945"
            + "d94284b004bff4dffff4affffffff8a0500000080008a060000000000018a060000000000ff658c016694474004000000000000"
            + "8c0162944302797a948c046e6f6e65944e8c017494888986948c0173948f94284b0390752e";
    /** {'data': np.arange(6, dtype=uint8).reshape(2, 3), 'f': np.array([[1.5, -2], [3.25, 0]], '<f4')}, protocol 2. */
    private static final String NUMPY_PROTOCOL_2 = "80027d7100285804000000646174617101636e756d70792e5f636f72652e6d756"
            + "c746961727261790a5f7265636f6e7374727563740a7102636e756d70790a6e6461727261790a71034b00857104635f636f6465"
            + "63730a656e636f64650a7105580100000062710658060000006c6174696e31710786710852710987710a52710b284b014b024b"
            + "0386710c636e756d70790a64747970650a710d58020000007531710e898887710f527110284b0358010000007c71114e4e4e4aff"
            + "ffffff4affffffff4b0074711262896805580600000000010203040571136807867114527115747116625801000000667117680"
            + "268034b00857118680987711952711a284b014b024b0286711b680d58020000006634711c898887711d52711e284b0358010000"
            + "003c711f4e4e4e4affffffff4affffffff4b007471206289680558120000000000c3803f000000c38000005040000000007121"
            + "680786712252712374712462752e";
    /** A class whose __reduce__ returns (print, ('hi',)), protocol 2. */
    private static final String REDUCE_TO_PRINT = "8002635f5f6275696c74696e5f5f0a7072696e740a710058020000006869710185"
            + "71025271032e";
    /** builtins.eval itself, protocol 4 (STACK_GLOBAL). */
    private static final String BUILTINS_EVAL = "80049515000000000000008c086275696c74696e73948c046576616c9493942e";

    private static Object load(String hex) throws TorchFormatException {
        return SafeUnpickler.load(HexFormat.of().parseHex(hex), "test.pkl");
    }

    @Test
    void readsPlainValuesOfProtocol2() throws Exception {
        Map<?, ?> map = (Map<?, ?>) load(PLAIN_PROTOCOL_2);
        assertEquals(List.of("name", "ints", "f", "b", "none", "t"), List.copyOf(map.keySet()));
        assertEquals("x", map.get("name"));
        assertEquals(List.of(0L, 255L, 65535L, -1L, 1L << 31, 1L << 40, -(1L << 40)), map.get("ints"));
        assertEquals(2.5, map.get("f"));
        assertArrayEquals(new byte[]{'y', 'z'}, (byte[]) map.get("b"));
        assertTrue(map.containsKey("none"));
        assertNull(map.get("none"));
        assertEquals(List.of(true, false), map.get("t"));
    }

    @Test
    void readsFramedProtocol5WithSets() throws Exception {
        Map<?, ?> map = (Map<?, ?>) load(PLAIN_PROTOCOL_5);
        assertEquals(List.of(0L, 255L, 65535L, -1L, 1L << 31, 1L << 40, -(1L << 40)), map.get("ints"));
        assertArrayEquals(new byte[]{'y', 'z'}, (byte[]) map.get("b"));
        assertEquals(java.util.Set.of(3L), map.get("s"));
    }

    @Test
    void readsNumpyArraysAsHostTensors() throws Exception {
        Map<?, ?> map = (Map<?, ?>) load(NUMPY_PROTOCOL_2);
        HostTensor data = (HostTensor) map.get("data");
        assertEquals(HostTensor.DType.UINT8, data.dtype());
        assertArrayEquals(new long[]{2, 3}, data.shape());
        assertArrayEquals(new byte[]{0, 1, 2, 3, 4, 5}, (byte[]) data.data());
        HostTensor floats = (HostTensor) map.get("f");
        assertArrayEquals(new long[]{2, 2}, floats.shape());
        assertArrayEquals(new float[]{1.5f, -2f, 3.25f, 0f}, floats.floats());
    }

    @Test
    void refusesForbiddenGlobalNamingItAndItsPosition() {
        // c os\nsystem\n then ('ls',) REDUCE: what a malicious checkpoint would contain
        byte[] pickle = HexFormat.of().parseHex("8002636f730a73797374656d0a710058020000006c73710185710252712e");
        UnsafePickleException e = assertThrows(UnsafePickleException.class,
                () -> SafeUnpickler.load(pickle, "evil.pkl"));
        assertEquals("forbidden global os.system at byte 2 in evil.pkl", e.getMessage());
    }

    @Test
    void refusesReduceOfAnUnknownCallable() {
        var e = assertThrows(UnsafePickleException.class, () -> load(REDUCE_TO_PRINT));
        assertTrue(e.getMessage().contains("forbidden global __builtin__.print at byte 2 in test.pkl"), e.getMessage());
    }

    @Test
    void refusesStackGlobalEval() {
        var e = assertThrows(UnsafePickleException.class, () -> load(BUILTINS_EVAL));
        assertTrue(e.getMessage().startsWith("forbidden global builtins.eval at byte 29"), e.getMessage());
    }

    @Test
    void refusesOpcodesOutsideTheList() {
        // PROTO 2, MARK, INST 'os\nsystem\n' ...: INST would call a class by name
        var inst = assertThrows(UnsafePickleException.class, () -> load("800228696f730a73797374656d0a2e"));
        assertEquals("opcode 0x69 (INST) at byte 3 in test.pkl is not allowed", inst.getMessage());
        var unknown = assertThrows(UnsafePickleException.class, () -> load("8002ff2e"));
        assertEquals("opcode 0xff (unknown) at byte 2 in test.pkl is not allowed", unknown.getMessage());
    }

    @Test
    void refusesPersistentIdsWithoutALoader() {
        // PROTO 2, SHORT_BINSTRING 'x', BINPERSID
        var e = assertThrows(UnsafePickleException.class, () -> load("8002550178512e"));
        assertTrue(e.getMessage().contains("persistent id 'x' at byte 5 in test.pkl"), e.getMessage());
    }

    @Test
    void reportsTruncation() {
        String cut = PLAIN_PROTOCOL_2.substring(0, 60);
        var e = assertThrows(TorchFormatException.class, () -> load(cut));
        assertTrue(e.getMessage().startsWith("pickle test.pkl ends at byte 30 in the middle of the opcode at byte"),
                e.getMessage());
        assertFalse(e instanceof UnsafePickleException);
    }

    @Test
    void refusesOldProtocols() {
        var e = assertThrows(UnsafePickleException.class, () -> load("80017d2e"));
        assertTrue(e.getMessage().contains("pickle protocol 1 at byte 0"), e.getMessage());
    }

    // --- limits: a hostile pickle costs work and memory in proportion to its size, and gets a short refusal ---

    private static UnsafePickleException refused(String hex, SafeUnpickler.Limits limits) {
        return assertThrows(UnsafePickleException.class,
                () -> new SafeUnpickler("test.pkl", null, limits).load(HexFormat.of().parseHex(hex)));
    }

    @Test
    void refusesIntegersWiderThan64BitsBeforeReadingThem() {
        // PROTO 2, LONG4 declaring 1,000,000 bytes (which are not even there)
        var e = refused("80028b40420f00", SafeUnpickler.Limits.DEFAULT);
        assertEquals("LONG4 at byte 2 in test.pkl declares an integer of 1000000 bytes; at most 8 (64 bits) are"
                + " accepted", e.getMessage());
    }

    @Test
    void refusesDeepNesting() {
        // PROTO 2, None, then TUPLE1 70 times
        var e = refused("80024e" + "85".repeat(70) + "2e", SafeUnpickler.Limits.DEFAULT);
        assertEquals("containers nest deeper than 64 levels at byte 67 in test.pkl; refused", e.getMessage());
    }

    @Test
    void refusesContainersThatHoldThemselves() {
        // PROTO 2, EMPTY_LIST, BINPUT 0, BINGET 0, APPEND
        var e = refused("80025d71006800612e", SafeUnpickler.Limits.DEFAULT);
        assertEquals("a container at byte 7 in test.pkl contains itself; refused", e.getMessage());
    }

    @Test
    void refusesKeysThatAreNotStringsOrNumbers() {
        // PROTO 2, EMPTY_DICT, NONE, BININT1 1, SETITEM
        var none = refused("80027d4e4b01732e", SafeUnpickler.Limits.DEFAULT);
        assertEquals("a dict key or set item at byte 6 in test.pkl is None; only strings, bytes and numbers are"
                + " accepted", none.getMessage());
        // PROTO 2, EMPTY_DICT, EMPTY_TUPLE, TUPLE1, BININT1 1, SETITEM
        var tuple = refused("80027d29854b01732e", SafeUnpickler.Limits.DEFAULT);
        assertTrue(tuple.getMessage().contains("is a list of 1 items"), tuple.getMessage());
    }

    @Test
    void sharedReferencesCountAgainstTheLimits() {
        // PROTO 2, EMPTY_LIST, BINPUT 0, then MARK and BINGET 0 five times, LIST: 5 items from one reference
        String fiveRefs = "80025d7100" + "28" + "6800".repeat(5) + "6c2e";
        var memo = refused(fiveRefs, new SafeUnpickler.Limits(64, 100, 100, 4, 100, 8, 1 << 20));
        assertTrue(memo.getMessage().startsWith("pickle test.pkl reads its memo more than 4 times"), memo.getMessage());
        var items = refused(fiveRefs, new SafeUnpickler.Limits(64, 4, 100, 100, 100, 8, 1 << 20));
        assertEquals("a container at byte 16 in test.pkl would hold more than 4 items; refused", items.getMessage());
        var total = refused(fiveRefs, new SafeUnpickler.Limits(64, 100, 3, 100, 100, 8, 1 << 20));
        assertTrue(total.getMessage().startsWith("pickle test.pkl builds more than 3 container items"),
                total.getMessage());
    }

    @Test
    void refusesAMemoOfMoreThanAMillionEntries() throws Exception {
        // PROTO 2, None, then MEMOIZE 1,000,001 times: a megabyte that would fill a hash map of a million entries
        var e = refused("80024e" + "94".repeat(1_000_001) + "2e", SafeUnpickler.Limits.DEFAULT);
        assertEquals("pickle test.pkl puts more than 1000000 entries in its memo (limit reached at byte 1000003);"
                + " refused", e.getMessage());
        // Writing an index again replaces its entry: it does not count twice
        assertNull(SafeUnpickler.load(HexFormat.of().parseHex("80024e" + "7100".repeat(10) + "2e"), "test.pkl"));
    }

    @Test
    void capsTheBytesOfNumpyArraysAndReadsBuiltArraysFromTheMemo() throws Exception {
        // [a, a, a] where a = np.zeros(100, 'u1'): 300 bytes of tensors against a limit of 250, the array read twice
        // from the memo after its BUILD
        byte[] pickle = numpyArrays(1, 100, 0, 2);
        Object arrays = SafeUnpickler.load(pickle, "test.pkl");
        assertEquals(3, ((List<?>) arrays).size());
        assertSame(((List<?>) arrays).get(0), ((List<?>) arrays).get(2));
        assertArrayEquals(new long[]{100}, ((HostTensor) ((List<?>) arrays).get(2)).shape());
        var e = assertThrows(UnsafePickleException.class, () -> new SafeUnpickler("test.pkl", null,
                SafeUnpickler.Limits.DEFAULT.withMaxTensorBytes(250)).load(numpyArrays(3, 100, 0, 0)));
        assertTrue(e.getMessage().startsWith("pickle test.pkl materializes more than 250 bytes of tensors in all"
                + " (limit reached by the numpy array of shape [100] at byte "), e.getMessage());
    }

    @Test
    void aNumpyBuildDoesNotRewriteTheMemo() {
        // 100,000 empty arrays after 500,000 memo entries: rewriting the memo at each BUILD is 5 * 10^10 steps
        byte[] pickle = numpyArrays(100_000, 0, 500_000, 0);
        List<?> arrays = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> (List<?>) SafeUnpickler.load(pickle, "test.pkl"));
        assertEquals(100_000, arrays.size());
        assertInstanceOf(HostTensor.class, arrays.get(99_999));
    }

    /**
     * A list of {@code arrays} uint8 numpy arrays of {@code length} zeros, built as numpy pickles them (protocol 2:
     * {@code _reconstruct} REDUCE, then BUILD with the state), after {@code filler} memo entries, then the first
     * array read from the memo {@code rereads} times.
     */
    private static byte[] numpyArrays(int arrays, int length, int filler, int rereads) {
        java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
        java.util.function.Consumer<String> hex = h -> p.writeBytes(HexFormat.of().parseHex(h));
        java.util.function.Consumer<String> text = t -> p.writeBytes(t.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.util.function.IntFunction<String> index = i -> String.format("%02x%02x%02x%02x", i & 0xff, (i >> 8) & 0xff,
                (i >> 16) & 0xff, i >>> 24);
        hex.accept("8002");
        text.accept("cnumpy.core.multiarray\n_reconstruct\n");
        hex.accept("72" + index.apply(0) + "30"); // LONG_BINPUT 0, POP
        text.accept("cnumpy\nndarray\n");
        hex.accept("4b00854301628772" + index.apply(1) + "30"); // ((0,), b'b') TUPLE3, LONG_BINPUT 1, POP
        hex.accept("284b01"); // MARK, 1
        hex.accept("4a" + index.apply(length) + "85"); // (length,)
        text.accept("cnumpy\ndtype\n");
        hex.accept("5802000000");
        text.accept("u1");
        hex.accept("89888752"); // ('u1', False, True) REDUCE
        hex.accept("89"); // is_fortran False
        hex.accept("42" + index.apply(length)); // BINBYTES of length zeros
        p.writeBytes(new byte[length]);
        hex.accept("7472" + index.apply(2) + "30"); // TUPLE, LONG_BINPUT 2, POP
        hex.accept("4e" + "94".repeat(filler) + "30"); // None, MEMOIZE filler times, POP
        hex.accept("5d"); // EMPTY_LIST
        for (int i = 0; i < arrays; i++) {
            hex.accept("6a" + index.apply(0) + "6a" + index.apply(1) + "52"); // _reconstruct(*args)
            if (i == 0) hex.accept("72" + index.apply(3)); // LONG_BINPUT 3: the first array, before its BUILD
            hex.accept("6a" + index.apply(2) + "6261"); // BUILD with the state, APPEND
        }
        for (int i = 0; i < rereads; i++) hex.accept("6a" + index.apply(3) + "61"); // LONG_BINGET 3, APPEND
        hex.accept("2e");
        return p.toByteArray();
    }
}
