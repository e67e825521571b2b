//! A line diff of two versions of a text, for the history page: the longest common subsequence
//! of lines, with the lines removed (`-`) and added (`+`) around the kept ones (` `). Texts of
//! more than [`MAX_LINES`] lines are shown as removed and added whole.

/// The most lines compared line by line.
pub const MAX_LINES: usize = 1500;

/// The lines of `new` compared with `old`.
pub fn lines(old: &str, new: &str) -> Vec<(char, String)> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    if a.len() > MAX_LINES || b.len() > MAX_LINES {
        return a
            .iter()
            .map(|l| ('-', (*l).to_owned()))
            .chain(b.iter().map(|l| ('+', (*l).to_owned())))
            .collect();
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((' ', a[i].to_owned()));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(('+', b[j].to_owned()));
            j += 1;
        } else {
            out.push(('-', a[i].to_owned()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_removed_and_added_lines() {
        let d = lines("หัวข้อ\nเดิม\nท้าย", "หัวข้อ\nใหม่\nท้าย\nเพิ่ม");
        let marks: String = d.iter().map(|(m, _)| *m).collect();
        assert_eq!(marks, " +- +");
        assert_eq!(d[1].1, "ใหม่");
        assert_eq!(d[2].1, "เดิม");
        assert!(lines("", "").is_empty());
    }
}
