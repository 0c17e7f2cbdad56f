"""Every word of the report, in English and German, side by side (see :mod:`deltanet.i18n`).

Templates use the markup of :func:`deltanet.report.document.rich`: ``^{..}``
superscript, ``_{..}`` subscript, `` `..` `` code, ``**..**`` strong and
``{name}`` placeholders that the section builders fill with stored numbers.
The texts never contain a result: numbers come from the results files only.
"""

PAIRS = {
    # ---------------------------------------------------------------- page
    "title": ("Exercise sheet: training neural networks – report",
              "Übungsblatt: Training neuronaler Netze – Bericht"),
    "subtitle": ("Tasks 25 and 26 and the tutorial task, computed with deltanet. Every number, "
                 "figure and answer below is read from the stored results; nothing was typed in.",
                 "Aufgaben 25 und 26 und die Tutoraufgabe, berechnet mit deltanet. Alle Zahlen, "
                 "Abbildungen und Antworten unten stammen aus den gespeicherten Ergebnissen; "
                 "nichts wurde von Hand eingetragen."),
    "h_date": ("Report generated", "Bericht erstellt"),
    "h_results": ("Results folder", "Ergebnisordner"),
    "h_version": ("Software", "Software"),
    "h_version_value": ("deltanet {version}, NumPy {numpy}, Python {python}",
                        "deltanet {version}, NumPy {numpy}, Python {python}"),
    "h_machine": ("Machine", "Rechner"),
    "h_machine_value": ("{cpus} CPU cores (as stored with the results), {system}",
                        "{cpus} CPU-Kerne (laut gespeicherten Ergebnissen), {system}"),
    "h_machine_here": ("{cpus} CPU cores (this machine; the results do not record it), {system}",
                       "{cpus} CPU-Kerne (dieser Rechner; die Ergebnisse enthalten keine Angabe), "
                       "{system}"),
    "h_seeds": ("Seeds", "Startwerte (Seeds)"),
    "part_25": ("task 25", "Aufgabe 25"),
    "part_26": ("task 26", "Aufgabe 26"),
    "part_tut": ("tutorial", "Tutoraufgabe"),
    "reproduce": ("Reproduce everything", "Alles reproduzieren"),
    "experiments": ("What was run", "Was gerechnet wurde"),
    "reproduce_parts": ("or part by part, with the stored settings:",
                        "oder Teil für Teil, mit den gespeicherten Einstellungen:"),
    "x_experiment": ("Experiment", "Experiment"),
    "x_config": ("Configuration", "Konfiguration"),
    "x_seeds": ("Seeds", "Seeds"),
    "x_wall": ("Wall time", "Laufzeit"),
    "x_written": ("Stored", "Gespeichert"),
    "contents": ("Contents", "Inhalt"),
    "question": ("Question", "Frage"),
    "answer": ("Answer from the data", "Antwort aus den Daten"),
    "missing": ("Missing", "Fehlt"),
    "figure_missing": ("Figure missing", "Abbildung fehlt"),
    "produce_with": ("Produce it with", "Erzeugen mit"),
    "incomplete": ("incomplete", "unvollständig"),
    "footer": ("Written by deltanet report on", "Erstellt von deltanet report am"),
    "note_version": ("The results in `{part}` were written by deltanet {found}; this report is "
                     "from deltanet {current}. Numbers may differ from a fresh run: rerun "
                     "`deltanet sheet --out {out}` to refresh them.",
                     "Die Ergebnisse in `{part}` wurden von deltanet {found} geschrieben; dieser "
                     "Bericht stammt von deltanet {current}. Die Zahlen können von einem neuen "
                     "Lauf abweichen: `deltanet sheet --out {out}` erneuert sie."),
    "note_incomplete": ("Incomplete: {parts}. Each gap below names what is missing and the "
                        "command that produces it.",
                        "Unvollständig: {parts}. Jede Lücke unten nennt, was fehlt, und den "
                        "Befehl, der es erzeugt."),
    "file_missing": ("results file `{file}` not found", "Ergebnisdatei `{file}` nicht gefunden"),
    "file_corrupt": ("results file `{file}` cannot be read ({problem})",
                     "Ergebnisdatei `{file}` ist nicht lesbar ({problem})"),
    "file_schema": ("results file `{file}` lacks what this part needs ({problem}); it may be "
                    "from another deltanet version",
                    "Ergebnisdatei `{file}` enthält nicht, was dieser Teil braucht ({problem}); "
                    "sie stammt vielleicht von einer anderen deltanet-Version"),
    "yes": ("yes", "ja"),
    "no": ("no", "nein"),
    "epoch": ("epoch", "Epoche"),
    "quantity": ("Quantity", "Größe"),
    "value": ("Value", "Wert"),
    "layer": ("Layer", "Schicht"),

    # ------------------------------------------- learning curves (plots.history)
    "hist_evaluation": ("evaluation data ({n:,} samples)", "Evaluationsdaten ({n:,} Beispiele)"),
    "hist_training": ("training data ({n:,} samples)", "Trainingsdaten ({n:,} Beispiele)"),
    "hist_cost": ("Cost (mean per sample)", "Kosten (Mittel pro Beispiel)"),
    "hist_accuracy": ("Accuracy (%)", "Genauigkeit (%)"),
    "hist_epoch": ("Epoch", "Epoche"),
    "hist_cost_title": ("Cost", "Kosten"),
    "hist_accuracy_title": ("Accuracy", "Genauigkeit"),

    # ---------------------------------------------------------------- groups
    "group_25": ("Task 25 – optimized training of neural networks",
                 "Aufgabe 25 – Optimiertes Trainieren neuronaler Netze"),
    "group_26": ("Task 26 – unstable gradients in deep networks",
                 "Aufgabe 26 – Instabile Gradienten bei tiefen neuronalen Netzen"),
    "group_tut": ("Tutorial task – backpropagation for complex-valued networks",
                  "Tutoraufgabe – Backpropagation für komplexwertige Netze"),

    # ------------------------------------------------------------ questions
    "t25a": ("Quadratic vs cross-entropy cost", "Quadratische vs. Kreuzentropie-Kosten"),
    "q25a": ("Train the network once with the quadratic and once with the cross-entropy cost "
             "and compare the accuracy on the test and the training data per epoch.",
             "Trainieren Sie das Netz einmal mit quadratischer und einmal mit Kreuzentropie-"
             "Kostenfunktion und vergleichen Sie die relative Genauigkeit auf Test- und "
             "Trainingsdaten pro Epoche."),
    "t25b": ("Overfitting", "Overfitting"),
    "q25b": ("Train with only the first {n} training images for {epochs} epochs (cross-entropy "
             "cost) and plot the training cost and the test accuracy from epoch {start} on. "
             "How does overfitting show?",
             "Trainieren Sie nur mit den ersten {n} Trainingsbildern für {epochs} Epochen "
             "(Kreuzentropie) und plotten Sie die Trainingskosten und den Klassifizierungserfolg "
             "auf den Testdaten (Testgenauigkeit) ab Epoche {start}. Woran lässt sich "
             "Overfitting erkennen?"),
    "t25c": ("L2 regularization", "L2-Regularisierung"),
    "q25c": ("Repeat (b) with the regularization parameter λ = {lmbda} instead of λ = 0. How "
             "does the course of the training cost and of the test accuracy change?",
             "Wiederholen Sie (b) mit dem Regularisierungsparameter λ = {lmbda} statt λ = 0. "
             "Wie ändern sich der Verlauf der Kostenfunktion und der Klassifizierungserfolg?"),
    "t26a": ("The bound σ′(z) ≤ ¼", "Die Schranke σ′(z) ≤ ¼"),
    "q26a": ("Verify that the derivative of σ(z) = 1/(1 + e^{−z}) lies in [0, ¼], i.e. "
             "0 ≤ σ′(z) ≤ ¼ for all real z.",
             "Verifizieren Sie, dass die Ableitung von σ(z) = 1/(1 + e^{−z}) im Intervall "
             "[0, ¼] liegt, d. h. 0 ≤ σ′(z) ≤ ¼ für alle reellen z."),
    "t26b": ("Interval length for |w| ≥ 4", "Intervalllänge für |w| ≥ 4"),
    "q26b": ("Plot the length of the interval of a^{ℓ−1} with |w^{ℓ} σ′(w^{ℓ} a^{ℓ−1} + b^{ℓ})| "
             "≥ 1 as a function of |w^{ℓ}| and find its maximum numerically. Is it likely that "
             "a^{ℓ−1} lies in this interval?",
             "Visualisieren Sie die Länge des Intervalls der a^{ℓ−1} mit "
             "|w^{ℓ} σ′(w^{ℓ} a^{ℓ−1} + b^{ℓ})| ≥ 1 als Funktion von |w^{ℓ}| und bestimmen Sie "
             "ihr Maximum numerisch. Ist es wahrscheinlich, dass a^{ℓ−1} in dem Intervall liegt?"),
    "t26c": ("Mean and variance of Q^{ℓ}", "Mittelwert und Varianz von Q^{ℓ}"),
    "q26c": ("Let μ and s² be the mean and the variance of log q^{ℓ}. Give the mean and the "
             "variance of Q^{ℓ} = q^{ℓ+1} q^{ℓ+2} ⋯ q^{L} (log-normal model).",
             "Es seien μ und s² Mittelwert und Varianz von log q^{ℓ}. Geben Sie Mittelwert und "
             "Varianz von Q^{ℓ} = q^{ℓ+1} q^{ℓ+2} ⋯ q^{L} an (logarithmische Normalverteilung)."),
    "t26d": ("Vanishing gradients, measured", "Verschwindende Gradienten, gemessen"),
    "q26d": ("Beyond the sheet: how fast do the layers of deep sigmoid networks learn on MNIST? "
             "The norm ‖∂C/∂b^{ℓ}‖ per layer ℓ, at initialization and during training, and a "
             "configuration where gradients explode instead.",
             "Über das Blatt hinaus: Wie schnell lernen die Schichten tiefer Sigmoid-Netze auf "
             "MNIST? Die Norm ‖∂C/∂b^{ℓ}‖ pro Schicht ℓ, bei der Initialisierung und während "
             "des Trainings, und eine Konfiguration, in der die Gradienten stattdessen "
             "explodieren."),
    "tTa": ("BP1 for complex networks", "BP1 für komplexwertige Netze"),
    "qTa": ("Show that δ^{L}_{j} = ∂C/∂a^{L}_{j} · σ′(z^{L}_{j}) (BP1) with Wirtinger "
            "derivatives. What is ∂C/∂a^{L}_{j} for the quadratic cost C = ½‖y − a^{L}‖²?",
            "Zeigen Sie δ^{L}_{j} = ∂C/∂a^{L}_{j} · σ′(z^{L}_{j}) (BP1) mit Wirtinger-"
            "Ableitungen. Wie lautet ∂C/∂a^{L}_{j} für die quadratische Kostenfunktion "
            "C = ½‖y − a^{L}‖²?"),
    "tTb": ("BP2 for complex networks", "BP2 für komplexwertige Netze"),
    "qTb": ("Derive δ^{ℓ} = diag(σ′(z^{ℓ})) · (w^{ℓ+1})^{T} · δ^{ℓ+1} (BP2) for all ℓ < L.",
            "Leiten Sie δ^{ℓ} = diag(σ′(z^{ℓ})) · (w^{ℓ+1})^{T} · δ^{ℓ+1} (BP2) für alle ℓ < L "
            "her."),
    "tTc": ("BP3 and BP4 for complex networks", "BP3 und BP4 für komplexwertige Netze"),
    "qTc": ("Verify ∂C/∂b^{ℓ}_{j} = δ^{ℓ}_{j} (BP3) and ∂C/∂w^{ℓ}_{jk} = a^{ℓ−1}_{k} δ^{ℓ}_{j} "
            "(BP4).",
            "Verifizieren Sie ∂C/∂b^{ℓ}_{j} = δ^{ℓ}_{j} (BP3) sowie "
            "∂C/∂w^{ℓ}_{jk} = a^{ℓ−1}_{k} δ^{ℓ}_{j} (BP4)."),
    "tTd": ("Gradients for real and imaginary parts", "Gradienten nach Real- und Imaginärteil"),
    "qTd": ("How does one obtain the gradient of the cost with respect to the real and the "
            "imaginary parts of w^{ℓ}_{jk} and b^{ℓ}_{j}?",
            "Wie erhält man den Gradienten der Kostenfunktion bezüglich Real- und Imaginärteil "
            "von w^{ℓ}_{jk} bzw. b^{ℓ}_{j}?"),
    "tTe": ("Complex networks in use", "Komplexwertige Netze in der Anwendung"),
    "qTe": ("Beyond the sheet: does a complex-valued network train, on a complex-valued task "
            "and on MNIST, compared with a real network?",
            "Über das Blatt hinaus: Lässt sich ein komplexwertiges Netz trainieren, auf einer "
            "komplexwertigen Aufgabe und auf MNIST, verglichen mit einem reellen Netz?"),
    "tut_partial": ("Incomplete run of the tutorial task: the missing parts were not computed.",
                    "Unvollständiger Lauf der Tutoraufgabe: die fehlenden Teile wurden "
                    "nicht berechnet."),
    # ------------------------------------------------------------- header
    "note_schema": ("`{file}` has the layout `{found}`, this report reads `{expected}`: it is "
                    "from another deltanet version. Parts that cannot be read are marked; "
                    "`{command}` rewrites it.",
                    "`{file}` hat das Format `{found}`, dieser Bericht liest `{expected}`: die "
                    "Datei stammt von einer anderen deltanet-Version. Nicht lesbare Teile sind "
                    "markiert; `{command}` schreibt sie neu."),
    "cfg_quick": (" – **quick mode** (a smoke test, not the sheet's sizes)",
                  " – **Schnellmodus** (ein Kurztest, nicht die Größen des Blatts)"),
    "cfg_unreadable": ("(configuration not readable)", "(Konfiguration nicht lesbar)"),
    "exp_complex": ("Tutorial: complex networks", "Tutoraufgabe: komplexe Netze"),
    "cfg_complex": ("gradient check on {archs}; task: complex / real {task}, {task_epochs} "
                    "epochs; MNIST: complex / real {mnist}, {mnist_n} training images, "
                    "{mnist_epochs} epochs",
                    "Gradientenprüfung an {archs}; Aufgabe: komplex / reell {task}, "
                    "{task_epochs} Epochen; MNIST: komplex / reell {mnist}, {mnist_n} "
                    "Trainingsbilder, {mnist_epochs} Epochen"),

    # ------------------------------------------------------------ tutorial
    "tut_check": ("Check", "Prüfung"),
    "tut_error": ("Max. relative error", "Max. relativer Fehler"),
    "tut_below": ("Below {tol}?", "Unter {tol}?"),
    "tut_row_backprop": ("Backprop (BP1–BP4, part d) vs finite differences, all layers",
                         "Backpropagation (BP1–BP4, Teil d) gegen Differenzenquotienten, alle "
                         "Schichten"),
    "tut_row_bp1_noconj": ("Wrong variant: BP1 with ½ (a − y), without the conjugate",
                           "Falsche Variante: BP1 mit ½ (a − y), ohne Konjugation"),
    "tut_row_hidden": ("Net {arch}, layer ℓ = {layer} (δ^{ℓ} from BP2)",
                       "Netz {arch}, Schicht ℓ = {layer} (δ^{ℓ} aus BP2)"),
    "tut_row_bp2_conj": ("Wrong variant: BP2 with the conjugate transpose (w^{ℓ+1})^{H}",
                         "Falsche Variante: BP2 mit konjugiert Transponierter (w^{ℓ+1})^{H}"),
    "tut_row_re": ("∂C/∂Re w and ∂C/∂Re b, all layers", "∂C/∂Re w und ∂C/∂Re b, alle Schichten"),
    "tut_row_im": ("∂C/∂Im w and ∂C/∂Im b, all layers", "∂C/∂Im w und ∂C/∂Im b, alle Schichten"),
    "tut_row_d_no2": ("Wrong variant: conj(∂C/∂w) without the factor 2",
                      "Falsche Variante: conj(∂C/∂w) ohne den Faktor 2"),
    "tut_row_d_noconj": ("Wrong variant: 2 ∂C/∂w without the conjugate",
                         "Falsche Variante: 2 ∂C/∂w ohne Konjugation"),
    "tut_a_result": ("a^{L}_{j} = σ(z^{L}_{j}) is holomorphic, so ∂ā^{L}_{j}/∂z^{L}_{j} = 0 "
                     "and the chain rule keeps one term: "
                     "**δ^{L}_{j} = ∂C/∂a^{L}_{j} · σ′(z^{L}_{j})** (BP1), with σ′ = σ(1 − σ) the "
                     "complex derivative. For C = ½‖y − a^{L}‖² = ½ Σ_{j} (a^{L}_{j} − y_{j}) "
                     "conj(a^{L}_{j} − y_{j}): **∂C/∂a^{L}_{j} = ½ conj(a^{L}_{j} − y_{j})** – "
                     "not a − y as in the real case.",
                     "a^{L}_{j} = σ(z^{L}_{j}) ist holomorph, also ∂ā^{L}_{j}/∂z^{L}_{j} = 0, und "
                     "von der Kettenregel bleibt ein Term: "
                     "**δ^{L}_{j} = ∂C/∂a^{L}_{j} · σ′(z^{L}_{j})** (BP1), mit σ′ = σ(1 − σ) der "
                     "komplexen Ableitung. Für C = ½‖y − a^{L}‖² = ½ Σ_{j} (a^{L}_{j} − y_{j}) "
                     "conj(a^{L}_{j} − y_{j}): **∂C/∂a^{L}_{j} = ½ conj(a^{L}_{j} − y_{j})** – "
                     "nicht a − y wie im reellen Fall."),
    "tut_a_answer": ("BP1 holds in the same form as for real networks; for the quadratic cost "
                     "∂C/∂a^{L}_{j} = ½ conj(a^{L}_{j} − y_{j}).",
                     "BP1 gilt in derselben Form wie für reelle Netze; für die quadratische "
                     "Kostenfunktion ist ∂C/∂a^{L}_{j} = ½ conj(a^{L}_{j} − y_{j})."),
    "tut_check_answer": ("Checked numerically: the gradients from backprop agree with central "
                         "finite differences on the real and imaginary part of every weight "
                         "and bias to a relative error of {err} (tolerance {tol}); networks "
                         "checked: {archs}.",
                         "Numerisch geprüft: die Gradienten aus der Backpropagation stimmen mit "
                         "zentralen Differenzenquotienten nach Real- und Imaginärteil jedes "
                         "Gewichts und Bias bis auf einen relativen Fehler von {err} überein "
                         "(Toleranz {tol}); geprüfte Netze: {archs}."),
    "tut_control_answer": ("Without the conjugate the same check gives {err} ({factor} times "
                           "the tolerance): the conjugate is needed.",
                           "Ohne Konjugation ergibt dieselbe Prüfung {err} (das {factor}-fache "
                           "der Toleranz): die Konjugation ist nötig."),
    "tut_b_result": ("z^{ℓ+1}_{k} = Σ_{j} w^{ℓ+1}_{kj} a^{ℓ}_{j} + b^{ℓ+1}_{k} is holomorphic in "
                     "z^{ℓ}_{j}, so the conjugate terms of the chain rule vanish: "
                     "δ^{ℓ}_{j} = Σ_{k} δ^{ℓ+1}_{k} w^{ℓ+1}_{kj} σ′(z^{ℓ}_{j}), i.e. "
                     "**δ^{ℓ} = diag(σ′(z^{ℓ})) · (w^{ℓ+1})^{T} · δ^{ℓ+1}** (BP2) with the plain "
                     "transpose, no conjugate.",
                     "z^{ℓ+1}_{k} = Σ_{j} w^{ℓ+1}_{kj} a^{ℓ}_{j} + b^{ℓ+1}_{k} ist holomorph in "
                     "z^{ℓ}_{j}, daher fallen die konjugierten Terme der Kettenregel weg: "
                     "δ^{ℓ}_{j} = Σ_{k} δ^{ℓ+1}_{k} w^{ℓ+1}_{kj} σ′(z^{ℓ}_{j}), also "
                     "**δ^{ℓ} = diag(σ′(z^{ℓ})) · (w^{ℓ+1})^{T} · δ^{ℓ+1}** (BP2) mit der "
                     "gewöhnlichen Transponierten, ohne Konjugation."),
    "tut_b_answer": ("BP2 holds unchanged, with (w^{ℓ+1})^{T}, not the conjugate transpose.",
                     "BP2 gilt unverändert, mit (w^{ℓ+1})^{T}, nicht der konjugiert "
                     "Transponierten."),
    "tut_b_check": ("In the hidden layers, whose δ^{ℓ} comes from BP2, the gradients agree "
                    "with finite differences to {err} (tolerance {tol}).",
                    "In den verborgenen Schichten, deren δ^{ℓ} aus BP2 stammt, stimmen die "
                    "Gradienten bis auf {err} mit den Differenzenquotienten überein (Toleranz "
                    "{tol})."),
    "tut_b_control": ("With the conjugate transpose the error is {err}: rejected.",
                      "Mit der konjugiert Transponierten beträgt der Fehler {err}: verworfen."),
    "tut_c_result": ("z^{ℓ}_{j} = Σ_{k} w^{ℓ}_{jk} a^{ℓ−1}_{k} + b^{ℓ}_{j} is holomorphic in "
                     "b^{ℓ}_{j} and w^{ℓ}_{jk} with ∂z^{ℓ}_{j}/∂b^{ℓ}_{j} = 1 and "
                     "∂z^{ℓ}_{j}/∂w^{ℓ}_{jk} = a^{ℓ−1}_{k}, so "
                     "**∂C/∂b^{ℓ}_{j} = δ^{ℓ}_{j}** (BP3) and "
                     "**∂C/∂w^{ℓ}_{jk} = a^{ℓ−1}_{k} δ^{ℓ}_{j}** (BP4), as Wirtinger "
                     "derivatives.",
                     "z^{ℓ}_{j} = Σ_{k} w^{ℓ}_{jk} a^{ℓ−1}_{k} + b^{ℓ}_{j} ist holomorph in "
                     "b^{ℓ}_{j} und w^{ℓ}_{jk} mit ∂z^{ℓ}_{j}/∂b^{ℓ}_{j} = 1 und "
                     "∂z^{ℓ}_{j}/∂w^{ℓ}_{jk} = a^{ℓ−1}_{k}, also "
                     "**∂C/∂b^{ℓ}_{j} = δ^{ℓ}_{j}** (BP3) und "
                     "**∂C/∂w^{ℓ}_{jk} = a^{ℓ−1}_{k} δ^{ℓ}_{j}** (BP4), als "
                     "Wirtinger-Ableitungen."),
    "tut_c_caption": ("Gradient check per layer: max |g − g_{fd}| / max |g_{fd}| for the "
                      "real and imaginary parts of the weights (BP4) and biases (BP3); "
                      "central differences with step h = {h}.",
                      "Gradientenprüfung je Schicht: max |g − g_{fd}| / max |g_{fd}| für Real- "
                      "und Imaginärteile der Gewichte (BP4) und Biases (BP3); zentrale "
                      "Differenzen mit Schrittweite h = {h}."),
    "tut_c_answer": ("BP3 and BP4 hold in the same form as for real networks.",
                     "BP3 und BP4 gelten in derselben Form wie für reelle Netze."),
    "tut_c_check": ("Largest error over all layers: biases (BP3) {bmax}, weights (BP4) {wmax}; "
                    "all below {tol}: {ok}.",
                    "Größter Fehler über alle Schichten: Biases (BP3) {bmax}, Gewichte (BP4) "
                    "{wmax}; alle unter {tol}: {ok}."),
    "tut_d_result": ("C is real, so conj(∂C/∂w) = ∂C/∂w̄ and with ∂/∂w = ½(∂/∂Re w − i ∂/∂Im w): "
                     "**∂C/∂Re w = 2 Re(∂C/∂w)**, **∂C/∂Im w = −2 Im(∂C/∂w)**, i.e. "
                     "∂C/∂Re w + i ∂C/∂Im w = 2 conj(∂C/∂w) = 2 conj(a^{ℓ−1}_{k} δ^{ℓ}_{j}); "
                     "the same for b with δ^{ℓ}_{j}. Gradient descent in the real coordinates: "
                     "w ← w − 2η conj(∂C/∂w).",
                     "C ist reell, also conj(∂C/∂w) = ∂C/∂w̄, und mit ∂/∂w = ½(∂/∂Re w − i ∂/∂Im w): "
                     "**∂C/∂Re w = 2 Re(∂C/∂w)**, **∂C/∂Im w = −2 Im(∂C/∂w)**, d. h. "
                     "∂C/∂Re w + i ∂C/∂Im w = 2 conj(∂C/∂w) = 2 conj(a^{ℓ−1}_{k} δ^{ℓ}_{j}); "
                     "ebenso für b mit δ^{ℓ}_{j}. Gradientenabstieg in den reellen Koordinaten: "
                     "w ← w − 2η conj(∂C/∂w)."),
    "tut_d_answer": ("The real-coordinate gradient is twice the conjugate of the Wirtinger "
                     "derivative from BP3/BP4.",
                     "Der Gradient in reellen Koordinaten ist das Doppelte des Konjugierten der "
                     "Wirtinger-Ableitung aus BP3/BP4."),
    "tut_d_check": ("Checked per part: real parts agree with finite differences to {re}, "
                    "imaginary parts to {im}; without the factor 2 the error is {no2}, "
                    "without the conjugate {noconj}.",
                    "Getrennt geprüft: Realteile stimmen bis auf {re} mit den "
                    "Differenzenquotienten überein, Imaginärteile bis auf {im}; ohne den "
                    "Faktor 2 beträgt der Fehler {no2}, ohne Konjugation {noconj}."),
    "tut_arch": ("Net", "Netz"),
    "tut_layer": ("Layer ℓ", "Schicht ℓ"),
    "tut_w_re": ("Re w (BP4)", "Re w (BP4)"),
    "tut_w_im": ("Im w (BP4)", "Im w (BP4)"),
    "tut_b_re": ("Re b (BP3)", "Re b (BP3)"),
    "tut_b_im": ("Im b (BP3)", "Im b (BP3)"),
    "tut_model": ("Model", "Modell"),
    "tut_sizes": ("Layers", "Schichten"),
    "tut_params": ("Real parameters", "Reelle Parameter"),
    "tut_eta": ("η", "η"),
    "tut_test_cost": ("Final test cost", "Testkosten am Ende"),
    "tut_rms": ("RMS |f − a|", "RMS |f − a|"),
    "tut_final_acc": ("Final test accuracy", "Test\u00adgenauig\u00adkeit am Ende"),
    "tut_best_acc": ("Best test accuracy", "Beste Test\u00adgenauig\u00adkeit"),
    "tut_complex": ("complex", "komplex"),
    "tut_real": ("real", "reell"),
    "tut_e_task": ("Complex-valued task: fit `{target}` on the unit disk ({n_train} training, "
                   "{n_test} test points, {epochs} epochs, quadratic cost), a complex network "
                   "against a real one with the same number of real parameters.",
                   "Komplexwertige Aufgabe: `{target}` auf der Einheitskreisscheibe anpassen "
                   "({n_train} Trainings-, {n_test} Testpunkte, {epochs} Epochen, quadratische "
                   "Kosten), ein komplexes Netz gegen ein reelles mit gleich vielen reellen "
                   "Parametern."),
    "tut_e_mnist": ("MNIST with complex weights ({n_train} training images, {n_test} test "
                    "images, {epochs} epochs, quadratic cost) against the real network.",
                    "MNIST mit komplexen Gewichten ({n_train} Trainingsbilder, {n_test} "
                    "Testbilder, {epochs} Epochen, quadratische Kosten) gegen das reelle Netz."),
    "tut_e_task_answer": ("On the complex-valued task the complex network ends with test "
                          "cost {c} against {r} for the real network with the same {n} real "
                          "parameters: {ratio} times {lower_higher}.",
                          "Auf der komplexwertigen Aufgabe endet das komplexe Netz mit "
                          "Testkosten {c} gegenüber {r} beim reellen Netz mit ebenfalls {n} "
                          "reellen Parametern: {ratio}-mal {lower_higher}."),
    "tut_lower": ("lower", "niedriger"),
    "tut_higher": ("higher", "höher"),
    "tut_e_mnist_answer": ("On MNIST the complex network reaches {c} test accuracy after "
                           "{epochs} epochs, the real network {r}: {verdict}.",
                           "Auf MNIST erreicht das komplexe Netz nach {epochs} Epochen {c} "
                           "Testgenauigkeit, das reelle {r}: {verdict}."),
    "tut_ahead": ("the complex one is ahead", "das komplexe liegt vorn"),
    "tut_behind": ("the complex one does not beat it", "das komplexe schlägt es nicht"),
    "tut_e_poles": ("Smallest distance of any z to a pole iπ(2k + 1) during training: {d} "
                    "(guard threshold {thr}); {near} of {steps} steps came closer than the "
                    "threshold.",
                    "Kleinster Abstand eines z zu einem Pol iπ(2k + 1) im Training: {d} "
                    "(Schwelle {thr}); Schritte mit einem Abstand unter der Schwelle: "
                    "{near} von {steps}."),
    "tut_e_stopped": ("The complex MNIST run stopped early: {why}",
                      "Der komplexe MNIST-Lauf brach vorzeitig ab: {why}"),
    "tut_e_instability": ("Continuing the trained real network in complex parameter space "
                          "from imaginary parts {eps} · N(0, 1): the largest |Im w| goes "
                          "from {start} to {end} by the end of epoch {epochs}.",
                          "Setzt man das trainierte reelle Netz mit Imaginärteilen "
                          "{eps} · N(0, 1) komplex fort, wächst das größte |Im w| bis zum Ende "
                          "von Epoche {epochs} von {start} auf {end}."),
    "fig_complex_check": ("Gradient check per layer (Re and Im parts) and the wrong variants "
                          "that the check rejects.",
                          "Gradientenprüfung je Schicht (Real- und Imaginärteile) und die "
                          "falschen Varianten, die die Prüfung verwirft."),
    "fig_complex_task": ("Complex vs real network on the complex-valued fitting task: test "
                         "cost per epoch and the error |f(z) − a(z)| on the unit disk.",
                         "Komplexes gegen reelles Netz auf der komplexwertigen Aufgabe: "
                         "Testkosten je Epoche und der Fehler |f(z) − a(z)| auf der "
                         "Einheitskreisscheibe."),
    "fig_complex_mnist": ("MNIST with complex weights: test accuracy, distance to the "
                          "sigmoid's poles, growth of imaginary parts.",
                          "MNIST mit komplexen Gewichten: Testgenauigkeit, Abstand zu den "
                          "Polen des Sigmoids, Wachstum der Imaginärteile."),
    # ------------------------------------------------------------- task 26
    "exp_gradients": ("Task 26: unstable gradients", "Aufgabe 26: instabile Gradienten"),
    "cfg_gradients": ("(a) {points} grid points; vanishing: [784, {width} × h, 10], h = {depths}, "
                      "{n} training images, {epochs} epochs, η = {eta}; (c) Monte Carlo "
                      "{paths} paths, k ≤ {k}; exploding: |w| = {w}",
                      "(a) {points} Gitterpunkte; verschwindend: [784, {width} × h, 10], "
                      "h = {depths}, {n} Trainingsbilder, {epochs} Epochen, η = {eta}; (c) Monte "
                      "Carlo {paths} Pfade, k ≤ {k}; explodierend: |w| = {w}"),
    "a_step_derivative": ("SymPy: σ′(z) = `{derivative}`.", "SymPy: σ′(z) = `{derivative}`."),
    "a_step_identity": ("σ′(z) = σ(z)(1 − σ(z)) holds symbolically: {ok}.",
                        "σ′(z) = σ(z)(1 − σ(z)) gilt symbolisch: {ok}."),
    "a_step_range": ("σ increases from {lo} (z → −∞) to {hi} (z → +∞) (monotone: {ok}), so "
                     "p = σ(z) runs through the open interval (0, 1) and σ′ = p(1 − p).",
                     "σ wächst von {lo} (z → −∞) bis {hi} (z → +∞) (monoton: {ok}), also "
                     "durchläuft p = σ(z) das offene Intervall (0, 1), und σ′ = p(1 − p)."),
    "a_step_stationary": ("d/dp p(1 − p) = 1 − 2p = 0 gives p = {p}; the second derivative is "
                          "{second} < 0, so the maximum of p(1 − p) is {maximum} (SymPy's "
                          "maximum on (0, 1): {check}), reached at z = {z}.",
                          "d/dp p(1 − p) = 1 − 2p = 0 ergibt p = {p}; die zweite Ableitung ist "
                          "{second} < 0, also ist das Maximum von p(1 − p) gleich {maximum} "
                          "(SymPys Maximum auf (0, 1): {check}), angenommen bei z = {z}."),
    "a_step_positive": ("p(1 − p) > 0 for all p ∈ (0, 1): {ok}; σ′(z) → {lo} for z → −∞ and "
                        "→ {hi} for z → +∞.",
                        "p(1 − p) > 0 für alle p ∈ (0, 1): {ok}; σ′(z) → {lo} für z → −∞ und "
                        "→ {hi} für z → +∞."),
    "a_step_conclusion": ("Hence 0 ≤ σ′(z) ≤ {maximum} for all real z (0 < σ′ for every finite "
                          "z; the bound 0 is approached only in the limits).",
                          "Somit gilt 0 ≤ σ′(z) ≤ {maximum} für alle reellen z (σ′ > 0 für jedes "
                          "endliche z; die 0 wird nur im Grenzwert erreicht)."),
    "a_row_points": ("Grid points", "Gitterpunkte"),
    "a_row_zmax": ("Largest |z| on the grid", "Größtes |z| im Gitter"),
    "a_row_min": ("Smallest σ′(z) on the grid (float64)", "Kleinstes σ′(z) im Gitter (float64)"),
    "a_row_max": ("Largest σ′(z) on the grid", "Größtes σ′(z) im Gitter"),
    "a_row_argmax": ("… at z =", "… bei z ="),
    "a_row_quarter": ("Largest value exactly ¼", "Größter Wert genau ¼"),
    "a_row_accurate": ("Max. difference to σ′ computed as e^{−|z|}/(1 + e^{−|z|})²",
                       "Max. Abweichung von σ′ berechnet als e^{−|z|}/(1 + e^{−|z|})²"),
    "a_row_warnings": ("Floating-point warnings (overflow etc.)",
                       "Gleitkomma-Warnungen (Überlauf usw.)"),
    "a_answer_yes": ("Yes: σ′ = σ(1 − σ) = p(1 − p) with p ∈ (0, 1), whose maximum is {maximum} "
                     "(at p = ½, i.e. z = {z}) and which is positive; so 0 ≤ σ′(z) ≤ ¼ for all "
                     "real z.",
                     "Ja: σ′ = σ(1 − σ) = p(1 − p) mit p ∈ (0, 1), dessen Maximum {maximum} ist "
                     "(bei p = ½, also z = {z}) und das positiv ist; also 0 ≤ σ′(z) ≤ ¼ für "
                     "alle reellen z."),
    "a_answer_no": ("The stored check does not confirm the bound (see the table): maximum "
                    "{maximum} at z = {z}.",
                    "Die gespeicherte Prüfung bestätigt die Schranke nicht (siehe Tabelle): "
                    "Maximum {maximum} bei z = {z}."),
    "a_answer_numeric": ("Numerically on {n} points with |z| ≤ {zmax}: smallest value {mn}, "
                         "largest {mx} at z = {arg}; {warnings} floating-point warnings.",
                         "Numerisch auf {n} Punkten mit |z| ≤ {zmax}: kleinster Wert {mn}, "
                         "größter {mx} bei z = {arg}; {warnings} Gleitkomma-Warnungen."),
    "fig_a": ("σ(z) and σ′(z) with the bound ¼.", "σ(z) und σ′(z) mit der Schranke ¼."),
    "b_formula": ("Interval length (for |w| ≥ 4): L(|w|) = (2/|w|) · ln( (|w|/2) · "
                  "(1 + √(1 − 4/|w|)) − 1 ); the interval is centred at −b/w, at the origin "
                  "(as the sheet puts it) only for b = 0.",
                  "Intervalllänge (für |w| ≥ 4): L(|w|) = (2/|w|) · ln( (|w|/2) · "
                  "(1 + √(1 − 4/|w|)) − 1 ); das Intervall ist um −b/w zentriert, um den "
                  "Ursprung (wie im Blatt) nur für b = 0."),
    "b_row_L": ("Maximum length L*", "Maximale Länge L*"),
    "b_row_w": ("… at |w| =", "… bei |w| ="),
    "b_row_digits": ("Agreement of the methods", "Übereinstimmung der Methoden"),
    "b_digits": ("{methods}: {w} digits in |w|, {L} in L",
                 "{methods}: {w} Stellen in |w|, {L} in L"),
    "b_row_roots": ("Root finding for {n} (w, b) pairs: max. relative deviation from L(|w|)",
                    "Nullstellensuche für {n} Paare (w, b): max. relative Abweichung von L(|w|)"),
    "b_row_centre": ("… max. deviation of the centre from −b/w",
                     "… max. Abweichung des Mittelpunkts von −b/w"),
    "b_row_interval": ("… every set {a : |w σ′(wa + b)| ≥ 1} is one interval",
                       "… jede Menge {a : |w σ′(wa + b)| ≥ 1} ist ein Intervall"),
    "b_row_below4": ("Empty for |w| = {ws} (< 4)", "Leer für |w| = {ws} (< 4)"),
    "b_row_p_best": ("P(a^{ℓ−1} ~ U(0, 1) in the interval), |w| = |w*|, best bias",
                     "P(a^{ℓ−1} ~ U(0, 1) im Intervall), |w| = |w*|, bester Bias"),
    "b_row_p_random": ("… with a random bias b ~ N(0, 1)", "… mit zufälligem Bias b ~ N(0, 1)"),
    "b_row_p_k": ("… in {k} layers at once (best case)", "… in {k} Schichten zugleich (bester Fall)"),
    "b_net": ("Trained network", "Trainiertes Netz"),
    "b_trained_on": ("Trained on", "Trainiert mit"),
    "b_trained_on_value": ("{n} images, {epochs}", "{n} Bildern, {epochs}"),
    "b_acc": ("Validation accuracy", "Validierungs\u00adgenauig\u00adkeit"),
    "b_triples": ("(input, neuron, weight) triples", "Tripel (Eingabe, Neuron, Gewicht)"),
    "b_hits": ("with |w σ′(z)| ≥ 1", "mit |w σ′(z)| ≥ 1"),
    "b_fraction": ("Fraction", "Anteil"),
    "b_max_gain": ("Largest |w σ′(z)|", "Größtes |w σ′(z)|"),
    "b_max_w": ("Largest |w|", "Größtes |w|"),
    "b_all": ("networks that learned", "Netze, die gelernt haben"),
    "b_learned": ("Only networks that learned count: validation accuracy at least {thr} "
                  "(chance: 10 %). Left out: {nets}.",
                  "Es zählen nur Netze, die gelernt haben: Validierungsgenauigkeit mindestens "
                  "{thr} (Zufall: 10 %). Nicht gezählt: {nets}."),
    "b_learned_all": ("Only networks that learned count: validation accuracy at least {thr} "
                      "(chance: 10 %); all of them did.",
                      "Es zählen nur Netze, die gelernt haben: Validierungsgenauigkeit "
                      "mindestens {thr} (Zufall: 10 %); das trifft auf alle zu."),
    "b_left_out_net": ("{sizes} ({acc})", "{sizes} ({acc})"),
    "b_none": ("No network reached the threshold, so trained networks give no evidence here.",
               "Kein Netz erreichte die Schwelle; trainierte Netze liefern hier keine Aussage."),
    "b_trained_caption": ("Measured in MNIST networks trained by deltanet, on {n} validation "
                          "images: how often a factor |w^{ℓ} σ′(z^{ℓ})| reaches 1.",
                          "Gemessen in von deltanet trainierten MNIST-Netzen auf {n} "
                          "Validierungsbildern: wie oft ein Faktor |w^{ℓ} σ′(z^{ℓ})| 1 erreicht."),
    "b_answer_max": ("The interval is longest at |w| = {w}, with length L* = {L}.",
                     "Das Intervall ist bei |w| = {w} am längsten, mit Länge L* = {L}."),
    "b_answer_uniform": ("Since a^{ℓ−1} ∈ (0, 1), even with the bias chosen so that the whole "
                         "interval lies in (0, 1) a uniformly distributed a^{ℓ−1} falls into it "
                         "with probability {best} ({rand} with a random bias); in {k} layers at "
                         "once at most {pk}.",
                         "Da a^{ℓ−1} ∈ (0, 1), fällt selbst bei einem Bias, der das ganze "
                         "Intervall in (0, 1) legt, ein gleichverteiltes a^{ℓ−1} nur mit "
                         "Wahrscheinlichkeit {best} hinein ({rand} mit zufälligem Bias); in {k} "
                         "Schichten zugleich höchstens {pk}."),
    "b_answer_trained": ("In trained MNIST networks {hits} of {n} factors have "
                         "|w σ′(z)| ≥ 1 (fraction {frac}); the largest factor is {gain}, the "
                         "largest weight |w| = {w}.",
                         "In trainierten MNIST-Netzen haben {hits} von {n} Faktoren "
                         "|w σ′(z)| ≥ 1 (Anteil {frac}); der größte Faktor ist {gain}, das "
                         "größte Gewicht |w| = {w}."),
    "b_answer_below4": ("No weight of these networks reaches |w| = 4 (largest {w}), so "
                        "|w σ′(z)| ≤ |w|/4 < 1 for every input, not only for the measured ones.",
                        "Kein Gewicht dieser Netze erreicht |w| = 4 (größtes {w}); also ist "
                        "|w σ′(z)| ≤ |w|/4 < 1 für jede Eingabe, nicht nur für die gemessenen."),
    "b_answer_no": ("**Likely? No**: it needs |w| ≥ 4 and a tuned bias, and even then the "
                    "interval covers at most {L} of the range (0, 1) of a^{ℓ−1}; in trained "
                    "networks the factor practically never reaches 1.",
                    "**Wahrscheinlich? Nein**: es braucht |w| ≥ 4 und einen passenden Bias, und "
                    "selbst dann deckt das Intervall höchstens {L} des Bereichs (0, 1) von "
                    "a^{ℓ−1} ab; in trainierten Netzen erreicht der Faktor praktisch nie 1."),
    "b_answer_theory": ("**Likely? No**, from the theory alone: it needs |w| ≥ 4 and a tuned "
                        "bias, and even then the interval covers at most {L} of the range "
                        "(0, 1) of a^{ℓ−1}.",
                        "**Wahrscheinlich? Nein**, schon nach der Theorie: es braucht |w| ≥ 4 "
                        "und einen passenden Bias, und selbst dann deckt das Intervall höchstens "
                        "{L} des Bereichs (0, 1) von a^{ℓ−1} ab."),
    "b_answer_some": ("**Likely? Rarely**: the interval covers at most {L} of (0, 1), and "
                      "only the fraction above of the factors in trained networks reaches 1.",
                      "**Wahrscheinlich? Selten**: das Intervall deckt höchstens {L} von (0, 1) "
                      "ab, und nur der obige Anteil der Faktoren in trainierten Netzen "
                      "erreicht 1."),
    "fig_b": ("The interval length L(|w|) with its maximum, and |w σ′(wa + b)| over a at the "
              "maximizing |w|.",
              "Die Intervalllänge L(|w|) mit ihrem Maximum und |w σ′(wa + b)| über a beim "
              "maximierenden |w|."),
    "c_formula": ("With k = L − ℓ i.i.d. factors, ln Q^{ℓ} = ln q^{ℓ+1} + ⋯ + ln q^{L} has mean "
                  "kμ and variance ks², so in the log-normal model "
                  "**E[Q^{ℓ}] = e^{kμ + ks²/2}** and "
                  "**Var[Q^{ℓ}] = (e^{ks²} − 1) · e^{2kμ + ks²}**. Exact for i.i.d. factors: "
                  "E[Q^{ℓ}] = E[q]^{k}, Var[Q^{ℓ}] = E[q²]^{k} − E[q]^{2k}.",
                  "Mit k = L − ℓ unabhängigen, identisch verteilten Faktoren hat "
                  "ln Q^{ℓ} = ln q^{ℓ+1} + ⋯ + ln q^{L} den Mittelwert kμ und die Varianz ks², "
                  "also im log-normalen Modell **E[Q^{ℓ}] = e^{kμ + ks²/2}** und "
                  "**Var[Q^{ℓ}] = (e^{ks²} − 1) · e^{2kμ + ks²}**. Exakt für i.i.d. Faktoren: "
                  "E[Q^{ℓ}] = E[q]^{k}, Var[Q^{ℓ}] = E[q²]^{k} − E[q]^{2k}."),
    "c_model": ("Model of q", "Modell für q"),
    "c_mu": ("μ = E[ln q]", "μ = E[ln q]"),
    "c_s2": ("s² = Var[ln q]", "s² = Var[ln q]"),
    "c_m1": ("E[q]", "E[q]"),
    "c_logerr": ("μ + s²/2 − ln E[q]", "μ + s²/2 − ln E[q]"),
    "c_skew": ("Skewness of ln q", "Schiefe von ln q"),
    "c_model_normal": ("q = |w σ′(z)|, w, z ~ N(0, 1)", "q = |w σ′(z)|, w, z ~ N(0, 1)"),
    "c_model_network": ("q from a trained deep network", "q aus einem trainierten tiefen Netz"),
    "c_model_lognormal": ("ln q ~ N(μ, s²) (control)", "ln q ~ N(μ, s²) (Kontrolle)"),
    "c_models_caption": ("μ and s² estimated from the simulated factors ({n} paths per k).",
                         "μ und s² geschätzt aus den simulierten Faktoren ({n} Pfade je k)."),
    "c_k": ("k", "k"),
    "c_mean_formula": ("E[Q] formula", "E[Q] Formel"),
    "c_mean_exact": ("E[Q] exact", "E[Q] exakt"),
    "c_mean_mc": ("E[Q] Monte Carlo", "E[Q] Monte Carlo"),
    "c_err_mean": ("Rel. error E (formula vs exact)", "Rel. Fehler E (Formel/exakt)"),
    "c_se": ("MC rel. std. error", "MC rel. Standardfehler"),
    "c_err_var": ("Rel. error Var", "Rel. Fehler Var"),
    "c_err_median": ("Rel. error median e^{kμ}", "Rel. Fehler Median e^{kμ}"),
    "c_table_caption": ("Model {model}: log-normal formula against exact i.i.d. moments and "
                        "Monte Carlo.",
                        "Modell {model}: log-normale Formel gegen exakte i.i.d.-Momente und "
                        "Monte Carlo."),
    "c_answer_formula": ("E[Q^{ℓ}] = e^{kμ + ks²/2} and Var[Q^{ℓ}] = (e^{ks²} − 1) e^{2kμ + ks²} "
                         "with k = L − ℓ.",
                         "E[Q^{ℓ}] = e^{kμ + ks²/2} und Var[Q^{ℓ}] = (e^{ks²} − 1) e^{2kμ + ks²} "
                         "mit k = L − ℓ."),
    "c_answer_control": ("Control with exactly log-normal q: formula and exact moments differ "
                         "only through the estimates of μ and s² (relative difference {err} at "
                         "k = {k}); Monte Carlo agrees within 3 standard errors for {within} of "
                         "{total} values of k.",
                         "Kontrolle mit exakt log-normalem q: Formel und exakte Momente "
                         "unterscheiden sich nur durch die Schätzung von μ und s² (relative "
                         "Abweichung {err} bei k = {k}); Monte Carlo stimmt für {within} von "
                         "{total} Werten von k innerhalb von 3 Standardfehlern überein."),
    "c_answer_weak_mc": ("From k = {k} on the standard error of the Monte Carlo mean ({paths} "
                         "paths) exceeds a third of E[Q], so agreement within 3 standard "
                         "errors says little there.",
                         "Ab k = {k} übersteigt der Standardfehler des Monte-Carlo-Mittels "
                         "({paths} Pfade) ein Drittel von E[Q]; eine Übereinstimmung innerhalb "
                         "von 3 Standardfehlern sagt dort wenig."),
    "c_answer_normal": ("For q = |w σ′(z)| with w, z ~ N(0, 1), ln q is skewed (skewness {skew}), "
                        "not normal: the formula misses E[q] by the factor e^{{d}} per layer, "
                        "so E[Q] is off by {rel} (relative) at k = {k}, while the typical size, "
                        "the median e^{kμ}, is right within {med} for every k ≤ {k}.",
                        "Für q = |w σ′(z)| mit w, z ~ N(0, 1) ist ln q schief (Schiefe {skew}), "
                        "nicht normalverteilt: die Formel verfehlt E[q] um den Faktor e^{{d}} "
                        "je Schicht, E[Q] liegt bei k = {k} um {rel} (relativ) daneben, "
                        "während die typische Größe, der Median e^{kμ}, für jedes k ≤ {k} "
                        "bis auf {med} stimmt."),
    "c_answer_typical": ("With μ = {mu} < 0 the typical product shrinks exponentially with the "
                         "depth (e^{kμ} = {decay} at k = {k}): vanishing gradients; the "
                         "log-normal model describes this typical size well but not the mean "
                         "and variance for large k, which are dominated by rare large products "
                         "(heavy tail).",
                         "Mit μ = {mu} < 0 schrumpft das typische Produkt exponentiell mit der "
                         "Tiefe (e^{kμ} = {decay} bei k = {k}): verschwindende Gradienten; das "
                         "log-normale Modell beschreibt diese typische Größe gut, nicht aber "
                         "Mittelwert und Varianz für großes k, die von seltenen großen "
                         "Produkten bestimmt werden (schwerer Rand)."),
    "c_answer_network": ("With factors from a trained deep network the picture is the same: "
                         "factor e^{{d}} per layer, relative error {rel} of E[Q] at k = {k}.",
                         "Mit Faktoren aus einem trainierten tiefen Netz ergibt sich dasselbe "
                         "Bild: Faktor e^{{d}} je Schicht, relativer Fehler {rel} von E[Q] bei "
                         "k = {k}."),
    "fig_c_moments": ("E[Q] and Var[Q] against k: log-normal formula, exact i.i.d. moments and "
                      "Monte Carlo.",
                      "E[Q] und Var[Q] über k: log-normale Formel, exakte i.i.d.-Momente und "
                      "Monte Carlo."),
    "fig_c_error": ("Relative error of the log-normal formula against k.",
                    "Relativer Fehler der log-normalen Formel über k."),
    "fig_c_logq": ("Distribution of ln Q for several k.", "Verteilung von ln Q für mehrere k."),
    "v_setup": ("Networks [784, {width} × h, 10] with h = {depths} hidden layers, trained on "
                "{n} MNIST images for {epochs} epochs (η = {eta}, mini-batch {m}, cross-entropy); "
                "‖∂C/∂b^{ℓ}‖ of the mean gradient over {samples} training images, logged by "
                "backprop after every epoch; mean over the seeds {seeds}.",
                "Netze [784, {width} × h, 10] mit h = {depths} verborgenen Schichten, trainiert "
                "auf {n} MNIST-Bildern für {epochs} Epochen (η = {eta}, Mini-Batch {m}, "
                "Kreuzentropie); ‖∂C/∂b^{ℓ}‖ des mittleren Gradienten über {samples} "
                "Trainingsbilder, nach jeder Epoche aus der Backpropagation protokolliert; "
                "Mittel über die Seeds {seeds}."),
    "v_net": ("Network", "Netz"),
    "v_when": ("When", "Zeitpunkt"),
    "v_layer": ("Layer {l}", "Schicht {l}"),
    "v_output": ("Output", "Ausgabe"),
    "v_init": ("initial", "Start"),
    "v_after": ("after {epochs} epochs", "nach {epochs} Epochen"),
    "v_caption": ("Speed of learning ‖∂C/∂b^{ℓ}‖ per layer (hidden layers 1, 2, … and the "
                  "output layer).",
                  "Lerngeschwindigkeit ‖∂C/∂b^{ℓ}‖ je Schicht (verborgene Schichten 1, 2, … "
                  "und die Ausgabeschicht)."),
    "v_hidden": ("Hidden layers h", "Verborgene Schichten h"),
    "v_per_layer_init": ("Slower per layer (initial)", "Langsamer je Schicht (Start)"),
    "v_per_layer_final": ("Slower per layer (trained)", "Langsamer je Schicht (trainiert)"),
    "v_first_last_init": ("Last / first hidden layer (initial)",
                          "Letzte / erste verborgene Schicht (Start)"),
    "v_first_last_final": ("Last / first hidden layer (trained)",
                           "Letzte / erste verborgene Schicht (trainiert)"),
    "v_slow_caption": ("How much slower each earlier hidden layer learns (geometric mean over "
                       "the seeds).",
                       "Um wie viel langsamer jede frühere verborgene Schicht lernt "
                       "(geometrisches Mittel über die Seeds)."),
    "e_config": ("Configuration", "Konfiguration"),
    "e_growth": ("Growth per layer toward the input", "Wachstum je Schicht zur Eingabe hin"),
    "e_tuned": ("|w| large, biases tuned (z = 0)", "|w| groß, Biases abgestimmt (z = 0)"),
    "e_untuned_biases": ("|w| large, biases 0", "|w| groß, Biases 0"),
    "e_input_dependent": ("tuned, first layer default", "abgestimmt, erste Schicht Standard"),
    "e_default": ("default initialization", "Standard-Initialisierung"),
    "e_caption": ("Exploding gradients: ‖∂C/∂b^{ℓ}‖ per layer for weights ±{w}, where a tuned "
                  "bias makes every factor |w σ′(z)| = {f}.",
                  "Explodierende Gradienten: ‖∂C/∂b^{ℓ}‖ je Schicht für Gewichte ±{w}, wobei ein "
                  "abgestimmter Bias jeden Faktor |w σ′(z)| = {f} macht."),
    "v_answer": ("In the deepest network (h = {h}) the last hidden layer learns {ratio} times "
                 "faster than the first at the start ({per} times per layer) and {final} times "
                 "after {epochs} epochs.",
                 "Im tiefsten Netz (h = {h}) lernt die letzte verborgene Schicht zu Beginn "
                 "{ratio}-mal schneller als die erste ({per}-mal je Schicht) und nach {epochs} "
                 "Epochen {final}-mal."),
    "v_answer_orders": ("The earlier layers learn about {orders} orders of magnitude slower: "
                        "the vanishing gradient problem, measured.",
                        "Die frühen Schichten lernen etwa {orders} Größenordnungen langsamer: "
                        "das Problem verschwindender Gradienten, gemessen."),
    "v_answer_slower": ("The earlier layers learn more slowly, by less than an order of "
                        "magnitude in this run.",
                        "Die frühen Schichten lernen langsamer, in diesem Lauf um weniger als "
                        "eine Größenordnung."),
    "v_answer_not": ("In this run the earlier layers do not learn more slowly.",
                     "In diesem Lauf lernen die frühen Schichten nicht langsamer."),
    "e_answer": ("The opposite instability: with weights ±{w} and biases tuned so that every "
                 "factor |w σ′(z)| = {f}, the gradient grows by a factor of {g} per layer toward the "
                 "input (expected about {p}); in a chain of single neurons by a factor of "
                 "{chain} per layer.",
                 "Die umgekehrte Instabilität: mit Gewichten ±{w} und Biases, die jeden Faktor "
                 "|w σ′(z)| = {f} machen, wächst der Gradient je Schicht zur Eingabe hin um "
                 "den Faktor {g} (erwartet etwa {p}); in einer Kette einzelner Neuronen um den "
                 "Faktor {chain} je Schicht."),
    "e_answer_untuned": ("Without the tuned biases σ′(z) ≈ 0 and the gradient vanishes again "
                         "(first layer: {first}).",
                         "Ohne die abgestimmten Biases ist σ′(z) ≈ 0, und der Gradient "
                         "verschwindet wieder (erste Schicht: {first})."),
    "fig_vanishing": ("‖∂C/∂b^{ℓ}‖ per layer during training, one panel per depth (log scale).",
                      "‖∂C/∂b^{ℓ}‖ je Schicht während des Trainings, ein Feld je Tiefe "
                      "(logarithmisch)."),
    "fig_exploding": ("Exploding gradients per layer for the configurations in the table.",
                      "Explodierende Gradienten je Schicht für die Konfigurationen der Tabelle."),
    "note_explorer": ("The explorer of the runs is left out: {problem}",
                      "Der Explorer der Läufe fehlt: {problem}"),
    "note_explorer_run": ("The explorer shows the other runs, without this file: {problem}",
                          "Der Explorer zeigt die übrigen Läufe, ohne diese Datei: {problem}"),
    "note_quick": ("Quick-mode results (smoke tests with small sizes, not the sheet's "
                   "settings) in: {parts}. `deltanet sheet --out {out}` computes the real ones.",
                   "Ergebnisse im Schnellmodus (Kurztests mit kleinen Größen, nicht die "
                   "Einstellungen des Blatts) in: {parts}. `deltanet sheet --out {out}` "
                   "berechnet die richtigen."),
    "note_quick_set": ("Quick-mode results (smoke tests with small sizes, not the sheet's "
                       "settings) in: {parts}. The commands above without `--quick` compute "
                       "the real ones.",
                       "Ergebnisse im Schnellmodus (Kurztests mit kleinen Größen, nicht die "
                       "Einstellungen des Blatts) in: {parts}. Die Befehle oben ohne `--quick` "
                       "berechnen die richtigen."),
}

