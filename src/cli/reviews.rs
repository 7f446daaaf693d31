//! The commands on review files: `validate`, `export`, `update` and `merge`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Failure, same_file, write_output};
use crate::document;
use crate::extract::Extractor;
use crate::review;
use crate::review::update::Continued;

pub(super) fn validate(path: &Path) -> Result<(), Failure> {
    // Parse first (syntax and types name their field), then list every validation problem, one per line.
    let bytes = review::file::read(path)?;
    let file = match review::file::parse(&bytes, path) {
        Ok(file) => file,
        Err(e) => {
            // Not a review file at all: say what it looks like, and how to make a review of it.
            return Err(match review::file::looks_like(&bytes) {
                Some(what) => Failure::input(format!(
                    "{e} (it looks like {what}; to review a document, run `claimdesk extract {} -o REVIEW.json`)",
                    path.display()
                )),
                None => e.into(),
            });
        }
    };
    let problems = review::file::validate(&file);
    if problems.is_empty() {
        let claims = file.claims_at_threshold().count();
        let below = file.claims.len() - claims;
        println!(
            "{}: valid ({claims} claims, {} reviewed; {below} sentences below the threshold kept)",
            path.display(),
            file.reviewed()
        );
        return Ok(());
    }
    let lines: Vec<String> = problems.iter().map(|p| format!("{}: {p}", path.display())).collect();
    Err(Failure::input(format!("{}: {} problem(s) found\n{}", path.display(), problems.len(), lines.join("\n"))))
}

/// Publication details given on the command line: each one set replaces the review file's.
pub(super) struct PublicationArgs {
    pub(super) fact_check_url: Option<String>,
    pub(super) organisation: Option<String>,
    pub(super) article_url: Option<String>,
    pub(super) article_published: Option<String>,
}

pub(super) fn export(
    path: &Path,
    format: crate::export::Format,
    all: bool,
    given: PublicationArgs,
    output: &Path,
) -> Result<(), Failure> {
    if same_file(path, output) {
        return Err(Failure::input(format!(
            "{}: is the review file being exported; choose another output (-o) so the review is not overwritten",
            output.display()
        )));
    }
    let mut file = review::file::load(path)?;
    let before = file.publication.clone();
    let mut publication = before.clone();
    let set = |field: &mut Option<String>, value: Option<String>| {
        if let Some(v) = value {
            *field = Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        }
    };
    if let Some(url) = given.fact_check_url.as_deref().map(str::trim).filter(|u| !u.is_empty())
        && !crate::export::claimreview::is_http_url(url)
    {
        return Err(Failure::input(format!("--fact-check-url: `{url}` is not an absolute http:// or https:// URL")));
    }
    set(&mut publication.fact_check_url, given.fact_check_url);
    set(&mut publication.organisation, given.organisation);
    set(&mut publication.article_url, given.article_url);
    set(&mut publication.article_published, given.article_published);
    file.publication = publication;
    let options = crate::export::Options { all, ..Default::default() };
    let exported = crate::export::write(&file, format, &options).map_err(|e| Failure::input(e.in_file(path)))?;
    for warning in &exported.warnings {
        eprintln!("claimdesk: warning: {}: {warning}", path.display());
    }
    // Asked once, kept: the details given are saved (atomically) into the review file once the export is known good.
    if file.publication != before {
        review::file::save(&file, path)?;
    }
    write_output(Some(output), &exported.bytes)?;
    if output != Path::new("-") {
        eprintln!("claimdesk: wrote {} claim(s) as {} to {}", exported.claims, format, output.display());
    }
    Ok(())
}

pub(super) fn update(path: &Path, document: &Path, output: Option<&Path>) -> Result<(), Failure> {
    let file = review::file::load(path)?;
    let doc = document::load(document)?;
    let output = output.unwrap_or(path);
    if same_file(document, output) {
        return Err(Failure::input(format!(
            "{}: is the document; choose another output (-o) so the document is not overwritten",
            output.display()
        )));
    }
    let up = match review::update::continue_or_carry_over(file, &doc, &Extractor::default()) {
        Continued::Same(file) => {
            eprintln!("claimdesk: {}: the document's text is unchanged; nothing to update", document.display());
            if !same_file(path, output) {
                review::file::save(&file, output)?;
            }
            return Ok(());
        }
        Continued::CarriedOver(up) => up,
    };
    review::file::save(&up.file, output)?;
    let mut report = format!(
        "Updated {} to {}: {} claims, {} moved, {} new, {} detached\n",
        path.display(),
        document.display(),
        up.file.claims_at_threshold().count(),
        up.moved,
        up.added,
        up.detached.len()
    );
    for id in &up.detached {
        if let Some(c) = up.file.detached.iter().find(|c| &c.id == id) {
            let status = c.review.status.as_str();
            report.push_str(&format!("  detached {id} ({status}): {}\n", crate::review::file::clip(&c.text)));
        }
    }
    report.push_str(&format!("wrote {}\n", output.display()));
    print!("{report}");
    Ok(())
}

pub(super) fn merge(paths: &[PathBuf], output: &Path) -> Result<(), Failure> {
    use crate::merge::{Input, Outcome};

    // Merging into one of the inputs would replace a reviewer's own file with the merge.
    if let Some(input) = paths.iter().find(|p| same_file(p, output)) {
        return Err(Failure::input(format!(
            "{}: is one of the files being merged; choose another output (-o) so no reviewer's file is overwritten",
            input.display()
        )));
    }
    // One reviewer's file counted twice would count their verdicts twice in the agreement.
    for (i, a) in paths.iter().enumerate() {
        for b in &paths[..i] {
            if same_file(a, b) || a == b {
                return Err(Failure::input(format!(
                    "{}: is given twice ({} and {}); give each reviewer's file once",
                    a.display(),
                    b.display(),
                    a.display()
                )));
            }
        }
    }
    let bytes = paths.iter().map(|p| review::file::read(p)).collect::<Result<Vec<_>, _>>()?;
    for (i, a) in bytes.iter().enumerate() {
        if let Some(j) = bytes[..i].iter().position(|b| b == a) {
            return Err(Failure::input(format!(
                "{}: is the same file as {} (identical content); give each reviewer's file once",
                paths[i].display(),
                paths[j].display()
            )));
        }
    }
    let files = paths.iter().zip(&bytes).map(|(p, b)| review::file::from_slice(b, p)).collect::<Result<Vec<_>, _>>()?;
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let inputs: Vec<Input<'_>> = names.iter().zip(&files).map(|(name, file)| Input { name, file }).collect();
    let merged = crate::merge::merge(&inputs)?;
    review::file::save(&merged.file, output)?;

    let c = &merged.comparison;
    let a = &c.agreement;
    let who: Vec<&str> = c.reviewers.iter().map(|r| r.name.as_str()).collect();
    let mut out = String::new();
    let disagreements: Vec<_> = c.disagreements().collect();
    // "Agreed" is said only of claims every reviewer reviewed; a verdict only some gave is counted apart.
    let (agreed, by_some): (Vec<_>, Vec<_>) =
        c.claims.iter().filter(|x| matches!(x.outcome, Outcome::Agreed(_))).partition(|x| x.reviewed_by_all());
    out.push_str(&format!(
        "Merged {} reviewers ({}) into {}: {} claims, {} agreed by all, {} reviewed by only some, {} disagreements, \
         {} unreviewed\n",
        c.reviewers.len(),
        who.join(", "),
        output.display(),
        c.claims.len(),
        agreed.len(),
        by_some.len(),
        disagreements.len(),
        c.claims.iter().filter(|x| x.outcome == Outcome::Unreviewed).count()
    ));
    let pct = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{:.1}%", v * 100.0));
    let num = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{v:.3}"));
    out.push_str(&format!("Agreement over the {} claims every reviewer reviewed", a.claims));
    let partial = c.partially_reviewed();
    if partial > 0 {
        out.push_str(&format!(" ({partial} reviewed by only some are left out)"));
    }
    out.push_str(":\n");
    out.push_str(&format!("  percent agreement: {}\n", pct(a.percent_agreement)));
    if a.reviewers == 2 {
        out.push_str(&format!("  Cohen's kappa: {}\n", num(a.cohen_kappa)));
    } else {
        out.push_str(&format!("  mean pairwise agreement: {}\n", pct(a.pairwise_agreement)));
        out.push_str(&format!("  Fleiss' kappa: {}\n", num(a.fleiss_kappa)));
    }
    out.push_str("  per status: ratings, all agree, specific agreement, kappa\n");
    for s in &a.per_status {
        out.push_str(&format!(
            "    {:<10} {:>5} {:>5} {:>7} {:>7}\n",
            s.status.label(),
            s.ratings,
            s.unanimous,
            pct(s.specific_agreement),
            num(s.kappa)
        ));
    }
    if !disagreements.is_empty() {
        out.push_str(&format!(
            "Disagreements ({}), left unreviewed in the merged file for an editor:\n",
            disagreements.len()
        ));
        for d in disagreements {
            out.push_str(&format!("  {} \"{}\"\n", d.claim.id, crate::export::excerpt(&d.claim.text, 70)));
            let verdicts: Vec<String> = c
                .reviewers
                .iter()
                .zip(&d.reviews)
                .map(|(r, v)| format!("{}: {}", r.name, v.as_ref().map_or("(absent)", |v| v.status.as_str())))
                .collect();
            out.push_str(&format!("      {}\n", verdicts.join(" | ")));
        }
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| Failure::input(format!("standard output: {e}")))
}
