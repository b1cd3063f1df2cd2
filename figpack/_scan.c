/* One pass over a chunk of a CSV file's bytes, finding what figpack.files._numpy_chunk finds (the
   two are tested against each other and against the RFC 4180 grammar), about twice as fast:
   a 64-byte block with no line end, quote or control character is passed over whole. Built at
   install where a C compiler is at hand (pyproject.toml: optional); without it numpy scans. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define BLOCK 64

static int separator_or_quote(unsigned char c) { return c == ',' || c == '\n' || c == '"'; }

static int special(unsigned char c) { return (c < 32) | (c == '"') | (c == 127); }

/* scan_chunk(chunk, start, stop, state) -> state, where state is (newlines, first_cr or -1,
   control, quoting_ok, line_end_quoted, quoted, previous, closed_last): see files.Scan. */
static PyObject *scan_chunk(PyObject *module, PyObject *args) {
    (void)module;
    Py_buffer view;
    Py_ssize_t start, stop;
    long long newlines, first_cr;
    int control, quoting_ok, line_end_quoted, quoted, previous, closed_last;
    if (!PyArg_ParseTuple(args, "y*nn(LLppppip)", &view, &start, &stop, &newlines, &first_cr, &control,
                          &quoting_ok, &line_end_quoted, &quoted, &previous, &closed_last))
        return NULL;
    if (start < 0 || stop > view.len || start > stop) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "start and stop must lie within the chunk");
        return NULL;
    }
    const unsigned char *bytes = view.buf;
    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t i = start;
    if (closed_last && i < stop) { /* the previous chunk ended on a closing quote */
        quoting_ok &= separator_or_quote(bytes[i]);
        closed_last = 0;
    }
    while (i < stop) {
        if (stop - i >= BLOCK) {
            unsigned char any = 0;
            for (int j = 0; j < BLOCK; j++)  /* no branch: the compiler compares the block at once */
                any |= special(bytes[i + j]);
            if (!any) {
                i += BLOCK;
                continue;
            }
        }
        Py_ssize_t end = stop - i > BLOCK ? i + BLOCK : stop;
        for (; i < end; i++) {
            unsigned char c = bytes[i];
            if (!special(c))
                continue;
            if (c == '\n') {
                newlines++;
                line_end_quoted |= quoted;
            } else if (c == '"') {
                if (!quoted) /* an opening quote follows a separator or the closing quote of a doubled one */
                    quoting_ok &= separator_or_quote(i > start ? bytes[i - 1] : (unsigned char)previous);
                else if (i + 1 < stop) /* a closing one precedes a separator or the quote of a doubled one */
                    quoting_ok &= separator_or_quote(bytes[i + 1]);
                else
                    closed_last = 1; /* checked on the next chunk's first byte */
                quoted = !quoted;
            } else if (c == '\r') {
                if (first_cr < 0)
                    first_cr = newlines + 1;
            } else if (c != '\t') {
                control = 1;
            }
        }
    }
    if (stop > start)
        previous = bytes[stop - 1];
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return Py_BuildValue("(LLNNNNiN)", newlines, first_cr, PyBool_FromLong(control), PyBool_FromLong(quoting_ok),
                         PyBool_FromLong(line_end_quoted), PyBool_FromLong(quoted), previous,
                         PyBool_FromLong(closed_last));
}

static PyMethodDef methods[] = {
    {"scan_chunk", scan_chunk, METH_VARARGS, "scan_chunk(chunk, start, stop, state) -> state (figpack.files.Scan)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__scan(void) { return PyModule_Create(&module); }
