//! A small safe wrapper over libyaml (the `unsafe-libyaml` translation, already a dependency
//! of `serde_yaml`).
//!
//! Why libyaml itself: kubectl parses YAML with go-yaml v2, which is a line-by-line port of
//! libyaml. Using the same scanner, parser and emitter gives the same error texts, the same
//! error positions and the same output layout (indentation, quoting, folding at 80 columns)
//! as the real tools, for free.
//!
//! All `unsafe` of the manifest module lives here.

use std::ffi::{c_void, CStr};
use std::mem::MaybeUninit;
use std::ptr;
use unsafe_libyaml as unsafe_sys;

/// How a scalar was written; only plain scalars go through go-yaml's type resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// One parser event, with the 0-based line it starts on.
#[derive(Debug)]
pub enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias {
        anchor: String,
    },
    Scalar {
        anchor: Option<String>,
        tag: Option<String>,
        value: String,
        style: ScalarStyle,
    },
    SequenceStart {
        anchor: Option<String>,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
    },
    MappingEnd,
}

/// A libyaml failure as go-yaml reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// libyaml's `problem` (`mapping values are not allowed in this context`).
    pub problem: String,
    /// The line go-yaml v2 prints (`yaml: line N: …`), `None` when it prints none. go-yaml
    /// adds one to scanner error lines but not to parser error lines; we keep that quirk.
    pub line: Option<usize>,
}

impl SyntaxError {
    /// go-yaml v2's `yaml: line N: problem`.
    pub fn go_message(&self) -> String {
        match self.line {
            Some(line) => format!("yaml: line {line}: {}", self.problem),
            None => format!("yaml: {}", self.problem),
        }
    }
}

/// Pulls events out of one YAML text.
pub struct Parser {
    // Boxed so the parser never moves after libyaml initialised it; the input buffer is a
    // separate heap allocation that outlives the parser (dropped after it, see `Drop`).
    sys: Box<MaybeUninit<unsafe_sys::yaml_parser_t>>,
    input: Vec<u8>,
    initialized: bool,
    failed: bool,
    /// The 0-based line the last event started on.
    last_line: usize,
}

impl Parser {
    pub fn new(text: &str) -> Parser {
        let input = text.as_bytes().to_vec();
        let mut sys = Box::new(MaybeUninit::<unsafe_sys::yaml_parser_t>::uninit());
        // SAFETY: `sys` is a stable heap allocation; libyaml initialises it in place. The input
        // pointer stays valid because `input` is a Vec we never touch again until drop.
        let ok = unsafe {
            let parser = sys.as_mut_ptr();
            if unsafe_sys::yaml_parser_initialize(parser).fail {
                false
            } else {
                unsafe_sys::yaml_parser_set_encoding(parser, unsafe_sys::YAML_UTF8_ENCODING);
                unsafe_sys::yaml_parser_set_input_string(parser, input.as_ptr(), input.len() as _);
                true
            }
        };
        Parser {
            sys,
            input,
            initialized: ok,
            failed: !ok,
            last_line: 0,
        }
    }

    /// The next event, or the syntax error that stops parsing.
    pub fn next_event(&mut self) -> Result<Event, SyntaxError> {
        if self.failed {
            return Err(SyntaxError {
                problem: "parser failed".into(),
                line: None,
            });
        }
        let mut event = MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialised in `new`; the event is deleted after copying.
        unsafe {
            let parser = self.sys.as_mut_ptr();
            if unsafe_sys::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                self.failed = true;
                return Err(parser_error(parser));
            }
            let event = event.as_mut_ptr();
            self.last_line = (*event).start_mark.line as usize;
            let converted = convert_event(&*event);
            unsafe_sys::yaml_event_delete(event);
            Ok(converted)
        }
    }
}

impl Parser {
    /// The 0-based line the event [`Parser::next_event`] returned last starts on.
    pub fn last_line(&self) -> usize {
        self.last_line
    }
}

impl Drop for Parser {
    fn drop(&mut self) {
        if self.initialized {
            // SAFETY: initialised in `new`; the input buffer is still alive here.
            unsafe { unsafe_sys::yaml_parser_delete(self.sys.as_mut_ptr()) }
        }
        self.input.clear();
    }
}

/// go-yaml v2's `parser.fail`: problem mark first, scanner errors one line later.
unsafe fn parser_error(parser: *const unsafe_sys::yaml_parser_t) -> SyntaxError {
    let parser = &*parser;
    let problem = match parser.problem.is_null() {
        true => "unknown problem parsing YAML content".to_string(),
        false => CStr::from_ptr(parser.problem)
            .to_string_lossy()
            .into_owned(),
    };
    let problem_line = parser.problem_mark.line as usize;
    let context_line = parser.context_mark.line as usize;
    let line = if problem_line != 0 {
        if parser.error == unsafe_sys::YAML_SCANNER_ERROR {
            problem_line + 1
        } else {
            problem_line
        }
    } else {
        context_line
    };
    SyntaxError {
        problem,
        line: (line != 0).then_some(line),
    }
}

unsafe fn c_string(ptr: *const u8) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    Some(CStr::from_ptr(ptr.cast()).to_string_lossy().into_owned())
}

unsafe fn convert_event(event: &unsafe_sys::yaml_event_t) -> Event {
    match event.type_ {
        unsafe_sys::YAML_STREAM_START_EVENT => Event::StreamStart,
        unsafe_sys::YAML_STREAM_END_EVENT => Event::StreamEnd,
        unsafe_sys::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
        unsafe_sys::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
        unsafe_sys::YAML_ALIAS_EVENT => Event::Alias {
            anchor: c_string(event.data.alias.anchor).unwrap_or_default(),
        },
        unsafe_sys::YAML_SCALAR_EVENT => {
            let scalar = event.data.scalar;
            let bytes = if scalar.value.is_null() {
                &[][..]
            } else {
                std::slice::from_raw_parts(scalar.value, scalar.length as usize)
            };
            Event::Scalar {
                anchor: c_string(scalar.anchor),
                tag: c_string(scalar.tag),
                value: String::from_utf8_lossy(bytes).into_owned(),
                style: match scalar.style {
                    unsafe_sys::YAML_SINGLE_QUOTED_SCALAR_STYLE => ScalarStyle::SingleQuoted,
                    unsafe_sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE => ScalarStyle::DoubleQuoted,
                    unsafe_sys::YAML_LITERAL_SCALAR_STYLE => ScalarStyle::Literal,
                    unsafe_sys::YAML_FOLDED_SCALAR_STYLE => ScalarStyle::Folded,
                    _ => ScalarStyle::Plain,
                },
            }
        }
        unsafe_sys::YAML_SEQUENCE_START_EVENT => Event::SequenceStart {
            anchor: c_string(event.data.sequence_start.anchor),
        },
        unsafe_sys::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
        unsafe_sys::YAML_MAPPING_START_EVENT => Event::MappingStart {
            anchor: c_string(event.data.mapping_start.anchor),
        },
        unsafe_sys::YAML_MAPPING_END_EVENT => Event::MappingEnd,
        _ => Event::StreamEnd,
    }
}

/// What the emitter is asked to write.
pub enum EmitEvent<'a> {
    MappingStart,
    MappingEnd,
    SequenceStart,
    SequenceEnd,
    Scalar { value: &'a str, style: ScalarStyle },
    OwnedScalar { value: String, style: ScalarStyle },
}

/// Writes one YAML document the way go-yaml v2's `yaml.Marshal` does: block style, two-space
/// indentation, unicode kept, long scalars folded at 80 columns.
pub fn emit_document(events: &[EmitEvent<'_>]) -> Option<String> {
    let mut output: Vec<u8> = Vec::new();
    let mut emitter = Box::new(MaybeUninit::<unsafe_sys::yaml_emitter_t>::uninit());
    // SAFETY: the emitter is initialised in place in a stable allocation and deleted before
    // it is freed; the write handler only appends to `output`, which outlives the emitter.
    unsafe {
        let e = emitter.as_mut_ptr();
        if unsafe_sys::yaml_emitter_initialize(e).fail {
            return None;
        }
        unsafe_sys::yaml_emitter_set_unicode(e, true);
        unsafe_sys::yaml_emitter_set_output(e, write_to_vec, ptr::addr_of_mut!(output).cast());
        let mut ok = emit(e, Emit::StreamStart) && emit(e, Emit::DocumentStart);
        for event in events {
            if !ok {
                break;
            }
            ok = match event {
                EmitEvent::MappingStart => emit(e, Emit::MappingStart),
                EmitEvent::MappingEnd => emit(e, Emit::MappingEnd),
                EmitEvent::SequenceStart => emit(e, Emit::SequenceStart),
                EmitEvent::SequenceEnd => emit(e, Emit::SequenceEnd),
                EmitEvent::Scalar { value, style } => emit(e, Emit::Scalar(value, *style)),
                EmitEvent::OwnedScalar { value, style } => emit(e, Emit::Scalar(value, *style)),
            };
        }
        ok = ok && emit(e, Emit::DocumentEnd) && emit(e, Emit::StreamEnd);
        ok = ok && !unsafe_sys::yaml_emitter_flush(e).fail;
        unsafe_sys::yaml_emitter_delete(e);
        if !ok {
            return None;
        }
    }
    String::from_utf8(output).ok()
}

enum Emit<'a> {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    MappingStart,
    MappingEnd,
    SequenceStart,
    SequenceEnd,
    Scalar(&'a str, ScalarStyle),
}

unsafe fn emit(emitter: *mut unsafe_sys::yaml_emitter_t, what: Emit<'_>) -> bool {
    let mut event = MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
    let ev = event.as_mut_ptr();
    let init = match what {
        Emit::StreamStart => {
            unsafe_sys::yaml_stream_start_event_initialize(ev, unsafe_sys::YAML_UTF8_ENCODING)
        }
        Emit::StreamEnd => unsafe_sys::yaml_stream_end_event_initialize(ev),
        Emit::DocumentStart => unsafe_sys::yaml_document_start_event_initialize(
            ev,
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            true,
        ),
        Emit::DocumentEnd => unsafe_sys::yaml_document_end_event_initialize(ev, true),
        Emit::MappingStart => unsafe_sys::yaml_mapping_start_event_initialize(
            ev,
            ptr::null(),
            ptr::null(),
            true,
            unsafe_sys::YAML_BLOCK_MAPPING_STYLE,
        ),
        Emit::MappingEnd => unsafe_sys::yaml_mapping_end_event_initialize(ev),
        Emit::SequenceStart => unsafe_sys::yaml_sequence_start_event_initialize(
            ev,
            ptr::null(),
            ptr::null(),
            true,
            unsafe_sys::YAML_BLOCK_SEQUENCE_STYLE,
        ),
        Emit::SequenceEnd => unsafe_sys::yaml_sequence_end_event_initialize(ev),
        Emit::Scalar(value, style) => {
            let Ok(length) = i32::try_from(value.len()) else {
                return false;
            };
            unsafe_sys::yaml_scalar_event_initialize(
                ev,
                ptr::null(),
                ptr::null(),
                value.as_ptr(),
                length,
                true,
                true,
                match style {
                    ScalarStyle::Plain => unsafe_sys::YAML_PLAIN_SCALAR_STYLE,
                    ScalarStyle::SingleQuoted => unsafe_sys::YAML_SINGLE_QUOTED_SCALAR_STYLE,
                    ScalarStyle::DoubleQuoted => unsafe_sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE,
                    ScalarStyle::Literal => unsafe_sys::YAML_LITERAL_SCALAR_STYLE,
                    ScalarStyle::Folded => unsafe_sys::YAML_FOLDED_SCALAR_STYLE,
                },
            )
        }
    };
    if init.fail {
        return false;
    }
    // yaml_emitter_emit takes ownership of the event (it deletes it), success or not.
    !unsafe_sys::yaml_emitter_emit(emitter, ev).fail
}

unsafe fn write_to_vec(data: *mut c_void, buffer: *mut u8, size: u64) -> i32 {
    let output = &mut *data.cast::<Vec<u8>>();
    output.extend_from_slice(std::slice::from_raw_parts(buffer, size as usize));
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(text: &str) -> SyntaxError {
        let mut parser = Parser::new(text);
        loop {
            match parser.next_event() {
                Ok(Event::StreamEnd) => panic!("no error in {text:?}"),
                Ok(_) => continue,
                Err(err) => return err,
            }
        }
    }

    #[test]
    fn scanner_errors_report_the_one_based_line() {
        let err = first_error("a: b\nc: d: e\n");
        assert_eq!(
            err.go_message(),
            "yaml: line 2: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn parser_errors_keep_go_yamls_zero_based_line() {
        let err = first_error("a:\n  b: 1\n c: 2\n");
        assert_eq!(err.go_message(), "yaml: line 2: did not find expected key");
    }

    #[test]
    fn the_emitter_writes_block_style() {
        let events = [
            EmitEvent::MappingStart,
            EmitEvent::Scalar {
                value: "a",
                style: ScalarStyle::Plain,
            },
            EmitEvent::SequenceStart,
            EmitEvent::Scalar {
                value: "1",
                style: ScalarStyle::DoubleQuoted,
            },
            EmitEvent::SequenceEnd,
            EmitEvent::MappingEnd,
        ];
        assert_eq!(emit_document(&events).as_deref(), Some("a:\n- \"1\"\n"));
    }
}
