//! A typed command's text without its here-documents' bodies: what the page reads to tell
//! which modules and texts a command may need (`held`, `cmd::more_verbs::may_run`). A
//! manifest's keys (`template:`, `help:`) are data, not words of the command.

/// `text` (one or more typed lines) without the bodies of its here-documents; a body still
/// open at the end is dropped too, so each of its lines, typed one after another, names
/// nothing.
pub fn without_heredoc_bodies(text: &str) -> String {
    let mut command = String::new();
    let mut delimiter: Option<String> = None;
    for line in text.lines() {
        if let Some(end) = &delimiter {
            if line.trim() == end {
                delimiter = None;
            }
            continue;
        }
        command.push_str(line);
        command.push('\n');
        if let Some((_, rest)) = line
            .split_once("<<")
            .filter(|(_, rest)| !rest.starts_with('<'))
        {
            let word = rest
                .trim_start_matches('-')
                .split_whitespace()
                .next()
                .unwrap_or("");
            let word = word.trim_matches(['\'', '"']);
            if !word.is_empty() {
                delimiter = Some(word.to_string());
            }
        }
    }
    command
}

#[cfg(test)]
mod tests {
    use super::without_heredoc_bodies;

    #[test]
    fn a_body_is_dropped_open_or_closed() {
        let open = "kubectl apply -f - <<EOF\nspec:\n  template:";
        assert_eq!(without_heredoc_bodies(open), "kubectl apply -f - <<EOF\n");
        let closed = "cat <<-'END' | kubectl apply -f -\n\thelp: x\n\tEND\nkubectl describe pods";
        assert_eq!(
            without_heredoc_bodies(closed),
            "cat <<-'END' | kubectl apply -f -\nkubectl describe pods\n"
        );
        // A here-string (`<<<`) has no body.
        let here_string = "grep x <<< \"$(kubectl get pods)\"\nkubectl rollout status deploy/web";
        assert_eq!(
            without_heredoc_bodies(here_string),
            format!("{here_string}\n")
        );
    }
}
