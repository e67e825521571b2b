# The ITA framework: where a year's framework comes from (shipped file or edited copy) and the
# platform operator's editor.

fw-origin-shipped = Uses the file shipped with Prongsai (not edited)
fw-origin-edited = Edited copy, version { $version } (started from { $based_on }), last saved by { $by } on { $at }
fw-download = Download the TOML file

fw-list-title = ITA frameworks
fw-list-intro = Frameworks are national data, used by every agency on the platform. A year without an edited copy uses the file shipped with Prongsai. Every change is recorded in the platform's audit log.
fw-list-years = Fiscal years with a framework
fw-col-year = Fiscal year
fw-col-origin = Source
fw-col-assumptions = Assumed values
fw-col-actions = Actions
fw-edit = Edit
fw-edit-shipped = Start editing (the first save makes an edited copy)

fw-clone-title = Copy a framework to another year
fw-clone-intro = Start a new year's framework from an existing one. Every value is copied with its confidence tag and note; edit it afterwards.
fw-clone-from = Copy from year
fw-clone-to = To year (Buddhist Era)
fw-clone-to-hint = A year with no framework yet, or the same year to start an edited copy of a shipped file
fw-clone-submit = Copy
fw-clone-no-source = There is no framework for { $year }
fw-clone-no-source-year = Choose the year to copy
fw-clone-bad-year = The target must be a Buddhist-Era fiscal year, such as 2568
fw-clone-exists = { $year } already has a framework; edit that one instead

fw-edit-title = Edit the ITA framework of { $year }
fw-edit-intro = Every save checks the whole framework again (points adding up to 100, grade bands without gaps, …); if it fails, nothing is saved. When you confirm a value, raise its confidence tag and give the source in the note.
fw-sections = Parts of the framework
fw-section-points = Pass mark, points, grades and samples
fw-section-scales = Answer values
fw-section-questions = IIT/EIT questions
fw-section-oit = OIT items
fw-save = Save
fw-not-saved = Nothing was saved. Please correct the following
fw-field-points = Points
fw-field-min = Lowest score
fw-field-max = Highest score
fw-field-value = Value of the answer "{ $label }"
fw-field-tag = Confidence
fw-field-note = Note or source
fw-field-text = Question text
fw-field-sub = Sub-question { $n }
fw-field-name = Item name
fw-field-group = Sub-indicator
fw-field-evidence = What the evidence must show
fw-grade = Grade { $grade }
fw-question = Question { $code } (indicator { $indicator }, scale { $scale })

fw-tag-v = stated by the NACC
fw-tag-s = two or more secondary sources agree
fw-tag-d = derived from a published table
fw-tag-w = weak or conflicting
fw-tag-u = unknown (an assumption)

fw-problem-not-a-number = Must be a number with at most two decimals, such as 33.33
fw-problem-above-hundred = Must not be above 100
fw-problem-not-a-count = Must be a whole number of people, not negative
fw-problem-unknown-tag = The confidence tag must be V, S, D, W or U
fw-problem-text-required = A confirmed question (V, S or D) needs its text; if the text is not known, set the tag to W or U
fw-problem-field-text-required = Once sub-questions have texts, every sub-question needs one
fw-problem-name-required = Enter the item's name
fw-problem-unknown-group = There is no such sub-indicator
fw-problem-unknown-field = The framework has no such field

fw-rule-instrument-total = The three instruments' points must add up to 100 ({ $detail })
fw-rule-indicator-total = The indicators of an instrument must add up to the instrument's points ({ $detail })
fw-rule-grade-bands = The grade bands must cover 0–100 without a gap or an overlap ({ $detail })
fw-rule-other = The framework does not pass its checks ({ $detail })
fw-stale = Someone else saved this framework in the meantime (it is now version { $version }), so your changes were not saved. Open the page again to see their changes, then edit again (what you typed is still shown below).
fw-history = Latest changes
fw-history-none = No changes yet: this year uses the file shipped with Prongsai
fw-new-item = Add an OIT item
fw-new-item-intro = The new item goes after the last item of the chosen sub-indicator, tagged U (an assumption) until it is confirmed.
fw-new-item-code = Item code (such as O44)
fw-new-item-submit = Add the item
fw-problem-bad-item-code = An item code is O and a number, such as O44
fw-problem-item-code-taken = An item already has this code

avg-title = ITA reference averages (national and provincial)
overview-nav = ITA overview
avg-intro = The averages the NACC publishes: the average total, the average of each indicator and the share of agencies passing each OIT item, for the whole country or for one province. Once imported, every agency sees its results beside the national average and its own province's on its results page.
avg-sets = Imported sets
avg-none = No averages have been imported yet.
avg-national = National
avg-province = { $name } province
avg-imported = { $at } by { $by }
avg-col-scope = Scope
avg-col-figures = Figures
avg-col-total = Average total
avg-col-imported = Imported
avg-import = Import from a CSV file
avg-format = A UTF-8 CSV file with the header fiscal_year, scope, code, value and one figure per row: scope is national or a province's Thai name; code is total, an indicator number (1–10), or an OIT item code (the value is then the percentage of agencies passing it); value is 0–100 with at most two decimals. Each year and scope in the file replaces the stored set as a whole.
avg-refused = This file was not imported, because of these problems (nothing was changed):

fw-pass = Pass mark and national target
fw-field-pass-mark = Pass mark (total)
fw-field-national-share = Target share of agencies passing (percent)
fw-field-national-target = National target (text)
fw-sample = Minimum sample of the { $instrument }
fw-field-sample-percent = Percent of the population
fw-field-sample-at-least = At least (people)
fw-field-sample-at-most = At most (people; may be empty)
fw-oit-group = OIT group { $code } (indicator { $indicator })
