"""Texts of task 25: claims, report tables, figures and the CLI (English, German)."""

PAIRS = {
    # --------------------------------------------------------------- report
    "never": ("never", "nie"),
    "cost_quadratic": ("quadratic cost", "quadratische Kosten"),
    "cost_cross-entropy": ("cross-entropy cost", "Kreuzentropie-Kosten"),
    # after "with"/"mit" (German dative: "mit quadratischen Kosten")
    "cost_with_quadratic": ("quadratic cost", "quadratischen Kosten"),
    "cost_with_cross-entropy": ("cross-entropy cost", "Kreuzentropie-Kosten"),
    "cfg_25": ("{sizes}, {cost}, η = {eta}, λ = {lmbda}, {epochs} epochs, mini-batch {m}, "
               "{n} training images, init `{init}`, {dtype}",
               "{sizes}, {cost}, η = {eta}, λ = {lmbda}, {epochs} Epochen, Mini-Batch {m}, "
               "{n} Trainingsbilder, Initialisierung `{init}`, {dtype}"),
    "cfg_original": (" – as the original network2", " – wie das Original network2"),
    "t25_seeds": ("Mean ± standard deviation over {n} seeds. The answers are about the mean "
                  "curve over the seeds (epoch by epoch).",
                  "Mittelwert ± Standardabweichung über {n} Seeds. Die Antworten betreffen "
                  "die mittlere Kurve über die Seeds (Epoche für Epoche)."),
    "t25_incomplete": ("Incomplete runs of this part (interrupted or diverged): {n}; the "
                       "numbers cover the finished epochs. `{command}` resumes them.",
                       "Unvollständige Läufe dieses Teils (abgebrochen oder divergiert): {n}; "
                       "die Zahlen umfassen die fertigen Epochen. `{command}` setzt sie fort."),
    "t25_not_run": ("experiment `{name}` has not been run (no entry in `task25/summary.json`)",
                    "Experiment `{name}` wurde nicht gerechnet (kein Eintrag in "
                    "`task25/summary.json`)"),
    "t25_no_epochs": ("experiment `{name}` was run, but none of its runs finished an epoch "
                      "({statuses})",
                      "Experiment `{name}` wurde gerechnet, aber keiner seiner Läufe hat eine "
                      "Epoche abgeschlossen ({statuses})"),
    "t25_recomputed": ("`{file}` was missing, in an older layout or did not match the stored "
                       "runs; task 25's numbers were recomputed from the stored runs (no "
                       "training). `{command}` stores it again with the figures.",
                       "`{file}` fehlte, hatte ein älteres Format oder passte nicht zu den "
                       "gespeicherten Läufen; die Zahlen von Aufgabe 25 wurden aus den "
                       "gespeicherten Läufen neu berechnet (ohne Training). "
                       "`{command}` speichert sie wieder samt Abbildungen."),
    "t25_unchecked": ("No stored runs to check `{file}` against: its numbers and answers are "
                      "shown as stored, unchecked.",
                      "Keine gespeicherten Läufe, gegen die `{file}` geprüft werden kann: seine "
                      "Zahlen und Antworten stehen ungeprüft so da, wie sie gespeichert sind."),
    "t25_run_missing": ("run `{file}` of `{name}`: the results index lists it, but the file "
                        "is missing",
                        "Lauf `{file}` von `{name}`: das Ergebnisverzeichnis nennt ihn, aber die "
                        "Datei fehlt"),
    "t25_run_damaged": ("run `{file}` of `{name}`, left out: {problem}; delete the file, then "
                        "run the command below",
                        "Lauf `{file}` von `{name}`, ausgelassen: {problem}; löschen Sie die "
                        "Datei und führen Sie dann den Befehl unten aus"),
    "t25_rest": ("Runs of the experiment that could be read: {n}; the numbers and figures of "
                 "this part come from them.",
                 "Lesbare Läufe des Experiments: {n}; aus ihnen stammen die Zahlen und "
                 "Abbildungen dieses Teils."),
    "t25_cost": ("Cost", "Kosten\u00adfunktion"),
    "t25_eta": ("η", "η"),
    "t25_after1": ("Test acc. after epoch 1", "Test\u00adgenauig\u00adkeit nach Epoche 1"),
    "t25_to90": ("Epochs to 90 % test acc.", "Epochen bis 90 % Test\u00adgenauig\u00adkeit"),
    "t25_peak": ("Peak test accuracy", "Beste Test\u00adgenauig\u00adkeit"),
    "t25_peak_epoch": ("… in epoch", "… in Epoche"),
    "t25_final_test": ("Final test accuracy", "Test\u00adgenauig\u00adkeit am Ende"),
    "t25_final_train": ("Final training accuracy", "Trainings\u00adgenauig\u00adkeit am Ende"),
    "t25_gap": ("Gap training − test (points)", "Abstand Training − Test (Prozent\u00adpunkte)"),
    "t25_epochs": ("Epochs", "Epochen"),
    "t25_final_cost": ("Final training cost", "Trainingskosten am Ende"),
    "t25_full": ("First epoch with 100 % training accuracy",
                 "Erste Epoche mit 100 % Trainingsgenauigkeit"),
    "t25_ecost_min_epoch": ("Epoch of the lowest test cost", "Epoche der kleinsten Testkosten"),
    "t25_ecost_last": ("Final test cost", "Testkosten am Ende"),
    "t25_quarter": ("Change of the training cost in the last quarter",
                    "Änderung der Trainingskosten im letzten Viertel"),
    "t25a_caption": ("{n} training images, {epochs} epochs, mini-batch {m}; accuracies on the "
                     "test images and on the training images.",
                     "{n} Trainingsbilder, {epochs} Epochen, Mini-Batch {m}; Genauigkeiten auf "
                     "den Testbildern und auf den Trainingsbildern."),
    "t25a_one_variant": ("only one of the two cost functions is stored",
                         "nur eine der beiden Kostenfunktionen ist gespeichert"),
    "t25b_caption": ("First {n} training images, cross-entropy, η = {eta}, λ = {lmbda}, "
                     "initializer `{init}`.",
                     "Erste {n} Trainingsbilder, Kreuzentropie, η = {eta}, λ = {lmbda}, "
                     "Initialisierung `{init}`."),
    "t25c_without": ("λ = {lmbda} (25b)", "λ = {lmbda} (25b)"),
    "t25c_with": ("λ = {lmbda} (25c)", "λ = {lmbda} (25c)"),
    "t25c_no_base": ("25b (λ = 0) for the comparison", "25b (λ = 0) für den Vergleich"),
    "fig_25a": ("Accuracy per epoch on test and training data, quadratic vs cross-entropy cost.",
                "Genauigkeit je Epoche auf Test- und Trainingsdaten, quadratische vs. "
                "Kreuzentropie-Kosten."),
    "fig_25b_cost": ("Training cost from epoch {start} on.", "Trainingskosten ab Epoche {start}."),
    "fig_25b_acc": ("Test accuracy from epoch {start} on.", "Testgenauigkeit ab Epoche {start}."),
    "fig_25b_all": ("Training vs test accuracy over all epochs.",
                    "Trainings- und Testgenauigkeit über alle Epochen."),
    "fig_25c_cost": ("Training cost from epoch {start} on, with and without L2 regularization.",
                     "Trainingskosten ab Epoche {start}, mit und ohne L2-Regularisierung."),
    "fig_25c_acc": ("Test accuracy from epoch {start} on, with and without L2 regularization.",
                    "Testgenauigkeit ab Epoche {start}, mit und ohne L2-Regularisierung."),
    "fig_25c_all": ("Training and test accuracy over all epochs, with and without L2.",
                    "Trainings- und Testgenauigkeit über alle Epochen, mit und ohne L2."),

    # --------------------------------------------------------------- claims
    # one sentence per claim id of deltanet.experiments.conclusions; criteria are
    # stated in the sentence; ( singular, plural ) pairs are chosen by {n}
    "claim_peak": ("The test accuracy peaks at {peak} in epoch {epoch} of {n} (final {final}).",
                   "Die Testgenauigkeit erreicht ihr Maximum {peak} in Epoche {epoch} von {n} "
                   "(am Ende {final})."),
    "claim_stays_within": ("From epoch {epoch} on every epoch lies within {tol} points of the "
                           "peak (lowest value from there: {low}).",
                           "Ab Epoche {epoch} liegt jede Epoche höchstens {tol} Prozentpunkte "
                           "unter dem Maximum (niedrigster Wert ab dort: {low})."),
    "claim_ends_below": ("It ends at {final}, {drop} points below the peak: more than {tol} "
                         "points lower, so it does not stay near the peak.",
                         "Sie endet bei {final}, {drop} Prozentpunkte unter dem Maximum: mehr "
                         "als {tol} Prozentpunkte tiefer, sie bleibt also nicht nahe am Maximum."),
    "claim_rises_after": ("After epoch {start} it still improves: from {at_start} in epoch "
                          "{start} to the peak {peak} in epoch {epoch} ({rise} points).",
                          "Nach Epoche {start} verbessert sie sich noch: von {at_start} in "
                          "Epoche {start} auf das Maximum {peak} in Epoche {epoch} ({rise} "
                          "Prozentpunkte)."),
    "claim_peak_before": ("The peak comes in epoch {epoch}, not after epoch {start}; from epoch "
                          "{start} on the test accuracy is at most {high}.",
                          "Das Maximum liegt in Epoche {epoch}, nicht nach Epoche {start}; ab "
                          "Epoche {start} beträgt die Testgenauigkeit höchstens {high}."),
    "claim_level_unknown": (("With {n} epoch (fewer than 2 × {window}) no statement is made on "
                             "where the test accuracy levels off.",
                             "With {n} epochs (fewer than 2 × {window}) no statement is made on "
                             "where the test accuracy levels off."),
                            ("Mit {n} Epoche (weniger als 2 × {window}) lässt sich nicht sagen, "
                             "wo die Testgenauigkeit abflacht.",
                             "Mit {n} Epochen (weniger als 2 × {window}) lässt sich nicht sagen, "
                             "wo die Testgenauigkeit abflacht.")),
    "claim_not_level": ("The test accuracy has not levelled off by the end: over the last "
                        "{window} epochs its least-squares line has a slope of {slope} points "
                        "per epoch (levelled off means within ±{limit}).",
                        "Die Testgenauigkeit flacht bis zum Ende nicht ab: über die letzten "
                        "{window} Epochen hat ihre Ausgleichsgerade die Steigung {slope} "
                        "Prozentpunkte pro Epoche (abgeflacht heißt: höchstens ±{limit})."),
    "claim_levels_off": ("It levels off from epoch {epoch} on: from there, the least-squares "
                         "line through every window of {window} epochs has a slope within "
                         "±{limit} points per epoch (and the window starting one epoch earlier "
                         "does not).",
                         "Sie flacht ab Epoche {epoch} ab: von dort an hat die Ausgleichsgerade "
                         "durch jedes Fenster von {window} Epochen eine Steigung von höchstens "
                         "±{limit} Prozentpunkten pro Epoche (das eine Epoche früher beginnende "
                         "Fenster nicht)."),
    "claim_level_throughout": ("It is level throughout, from epoch {epoch} on: the least-squares "
                               "line through every window of {window} epochs has a slope within "
                               "±{limit} points per epoch.",
                               "Sie ist durchgehend flach, ab Epoche {epoch}: die Ausgleichsgerade "
                               "durch jedes Fenster von {window} Epochen hat eine Steigung von "
                               "höchstens ±{limit} Prozentpunkten pro Epoche."),
    "claim_overfits": ("**Overfitting** from epoch {epoch} on: the test accuracy has levelled "
                       "off (from {acc_at} it gains at most {gain} points more), but the "
                       "training cost still falls by {rel}, from {cost_at} to {cost_end}; the "
                       "network fits the training images ever better while gaining little on "
                       "the test images (criterion: a fall of at least {limit}).",
                       "**Overfitting** ab Epoche {epoch}: die Testgenauigkeit ist abgeflacht "
                       "(von {acc_at} aus gewinnt sie höchstens noch {gain} Prozentpunkte), "
                       "aber die Trainingskosten fallen noch um {rel}, von {cost_at} auf "
                       "{cost_end}; das Netz passt sich den Trainingsbildern immer besser an und "
                       "gewinnt auf den Testbildern kaum noch (Kriterium: ein Rückgang um "
                       "mindestens {limit})."),
    "claim_overfits_l2": ("From epoch {epoch} on the test accuracy has levelled off (from "
                          "{acc_at} it gains at most {gain} points more), but the training cost "
                          "still falls by {rel}, from {cost_at} to {cost_end} (criterion: a fall "
                          "of at least {limit}). With λ = {lmbda} this cost includes the weight "
                          "term (λ/2n) Σ w², so the series cannot separate a better fit to the "
                          "training images from shrinking weights.",
                          "Ab Epoche {epoch} ist die Testgenauigkeit abgeflacht (von {acc_at} aus "
                          "gewinnt sie höchstens noch {gain} Prozentpunkte), aber die "
                          "Trainingskosten fallen noch um {rel}, von {cost_at} auf {cost_end} "
                          "(Kriterium: ein Rückgang um mindestens {limit}). Mit λ = {lmbda} "
                          "enthalten diese Kosten den Gewichtsterm (λ/2n) Σ w²; die Reihe kann "
                          "eine bessere Anpassung an die Trainingsbilder nicht von kleiner "
                          "werdenden Gewichten unterscheiden."),
    "claim_no_overfit": ("After the test accuracy levels off (epoch {epoch}) the training cost "
                         "goes from {cost_at} to {cost_end}; it does not fall by at least "
                         "{limit}: no overfitting by this criterion.",
                         "Nachdem die Testgenauigkeit abflacht (Epoche {epoch}), gehen die "
                         "Trainingskosten von {cost_at} auf {cost_end}; sie fallen nicht um "
                         "mindestens {limit}: nach diesem Kriterium kein Overfitting."),
    "claim_train_full": ("The training accuracy reaches 100 % in epoch {epoch}; at the end the "
                         "gap training − test is {gap} points.",
                         "Die Trainingsgenauigkeit erreicht 100 % in Epoche {epoch}; am Ende "
                         "beträgt der Abstand Training − Test {gap} Prozentpunkte."),
    "claim_train_not_full": ("The training accuracy never reaches 100 % (best {best}); at the "
                             "end the gap training − test is {gap} points.",
                             "Die Trainingsgenauigkeit erreicht nie 100 % (höchstens {best}); "
                             "am Ende beträgt der Abstand Training − Test {gap} Prozentpunkte."),
    "claim_test_cost_rises": ("The cost on the test data is lowest in epoch {epoch} ({low}); "
                              "after that it is never lower and ends higher, at {final}: it "
                              "starts to rise after epoch {epoch}.",
                              "Die Kosten auf den Testdaten sind in Epoche {epoch} am kleinsten "
                              "({low}); danach sind sie nie kleiner und enden höher, bei "
                              "{final}: sie steigen nach Epoche {epoch} an."),
    "claim_test_cost_late": ("The cost on the test data is lowest in epoch {epoch} of {n} ({low}) "
                             "and ends at {final}: the minimum lies in the last {window} epochs, "
                             "too few after it to speak of a rise.",
                             "Die Kosten auf den Testdaten sind in Epoche {epoch} von {n} am "
                             "kleinsten ({low}) und enden bei {final}: das Minimum liegt in den "
                             "letzten {window} Epochen, danach sind es zu wenige, um von einem "
                             "Anstieg zu sprechen."),
    "claim_test_cost_flat": ("The cost on the test data is lowest in epoch {epoch} ({low}) and "
                             "ends at {final}: no rise at the precision shown.",
                             "Die Kosten auf den Testdaten sind in Epoche {epoch} am kleinsten "
                             "({low}) und enden bei {final}: kein Anstieg in der gezeigten "
                             "Genauigkeit."),
    "claim_early": ("With the {fast} the network learns faster at the start: {acc_fast} test "
                    "accuracy after epoch 1, against {acc_slow} with the {slow}.",
                    "Mit {fast} lernt das Netz anfangs schneller: {acc_fast} Testgenauigkeit "
                    "nach Epoche 1 gegenüber {acc_slow} mit {slow}."),
    "claim_early_tie": ("Both costs reach {acc} test accuracy after epoch 1.",
                        "Beide Kostenfunktionen erreichen nach Epoche 1 {acc} Testgenauigkeit."),
    "claim_reach": ("With the {cost} the test accuracy first reaches {level} % in epoch {epoch}.",
                    "Mit {cost} erreicht die Testgenauigkeit {level} % zum ersten Mal in Epoche "
                    "{epoch}."),
    "claim_not_reach": (("With the {cost} the test accuracy does not reach {level} % in {n} "
                         "epoch.",
                         "With the {cost} the test accuracy does not reach {level} % within {n} "
                         "epochs."),
                        ("Mit {cost} erreicht die Testgenauigkeit {level} % in {n} Epoche nicht.",
                         "Mit {cost} erreicht die Testgenauigkeit {level} % innerhalb von {n} "
                         "Epochen nicht.")),
    "claim_final": ("With the {cost}: final test accuracy {final}, peak {peak} in epoch {epoch}; "
                    "final training accuracy {train}.",
                    "Mit {cost}: Testgenauigkeit am Ende {final}, Maximum {peak} in Epoche "
                    "{epoch}; Trainingsgenauigkeit am Ende {train}."),
    "claim_jump": ("With the {cost} the test accuracy stays between {lo} and {hi} from epoch "
                   "{start} to {end} (a plateau: at least {k} epochs within {range} points) and "
                   "then jumps by {rise} points to {after} in epoch {epoch} (a jump: at least "
                   "{jump} points in one epoch).",
                   "Mit {cost} bleibt die Testgenauigkeit von Epoche {start} bis {end} zwischen "
                   "{lo} und {hi} (ein Plateau: mindestens {k} Epochen innerhalb von {range} "
                   "Prozentpunkten) und springt dann in Epoche {epoch} um {rise} Prozentpunkte "
                   "auf {after} (ein Sprung: mindestens {jump} Prozentpunkte in einer Epoche)."),
    "claim_no_jump": ("With the {cost} the test accuracy shows no jump (at least {jump} points "
                      "in one epoch after at least {k} epochs within {range} points).",
                      "Mit {cost} zeigt die Testgenauigkeit keinen Sprung (mindestens {jump} "
                      "Prozentpunkte in einer Epoche nach mindestens {k} Epochen innerhalb von "
                      "{range} Prozentpunkten)."),
    "claim_jump_gradient": ("Measured with the {cost}: the output layer's gradient norm "
                            "‖∂C/∂b^{L}‖ averages {before} over epochs {start}–{end} of the "
                            "plateau and is {at} after epoch {epoch}, just before the jump. It "
                            "grows as the output neurons leave saturation: their error δ^{L} "
                            "carries the factor σ′(z^{L}) with the quadratic cost, and σ′(z^{L}) "
                            "≈ 0 while a neuron is saturated.",
                            "Gemessen mit {cost}: die Gradientennorm der Ausgabeschicht "
                            "‖∂C/∂b^{L}‖ beträgt im Mittel {before} über die Epochen "
                            "{start}–{end} des Plateaus und {at} nach Epoche {epoch}, direkt vor "
                            "dem Sprung. Sie wächst, wenn die Ausgabeneuronen die Sättigung "
                            "verlassen: ihr Fehler δ^{L} enthält bei quadratischen Kosten den "
                            "Faktor σ′(z^{L}), und σ′(z^{L}) ≈ 0, solange ein Neuron gesättigt "
                            "ist."),
    "claim_jump_gradient_flat": ("Measured with the {cost}: the output layer's gradient norm "
                                 "‖∂C/∂b^{L}‖ averages {before} over epochs {start}–{end} and "
                                 "is {at} after epoch {epoch}: it does not grow before the "
                                 "jump, so the measurement does not support explaining the "
                                 "plateau by saturated output neurons (whose error δ^{L} "
                                 "carries the factor σ′(z^{L}) ≈ 0 with this cost).",
                                 "Gemessen mit {cost}: die Gradientennorm der Ausgabeschicht "
                                 "‖∂C/∂b^{L}‖ beträgt im Mittel {before} über die Epochen "
                                 "{start}–{end} und {at} nach Epoche {epoch}: sie wächst vor "
                                 "dem Sprung nicht; die Messung stützt also nicht die Erklärung "
                                 "des Plateaus durch gesättigte Ausgabeneuronen (deren Fehler "
                                 "δ^{L} bei diesen Kosten den Faktor σ′(z^{L}) ≈ 0 enthält)."),
    "claim_jump_gradient_other": ("Measured with the {cost}: the output layer's gradient norm "
                                  "‖∂C/∂b^{L}‖ averages {before} over epochs {start}–{end} of "
                                  "the plateau and is {at} after epoch {epoch}, just before the "
                                  "jump. With this cost δ^{L} = a^{L} − y has no factor "
                                  "σ′(z^{L}), so saturated output neurons do not explain the "
                                  "plateau.",
                                  "Gemessen mit {cost}: die Gradientennorm der Ausgabeschicht "
                                  "‖∂C/∂b^{L}‖ beträgt im Mittel {before} über die Epochen "
                                  "{start}–{end} des Plateaus und {at} nach Epoche {epoch}, "
                                  "direkt vor dem Sprung. Bei diesen Kosten enthält "
                                  "δ^{L} = a^{L} − y keinen Faktor σ′(z^{L}); gesättigte "
                                  "Ausgabeneuronen erklären das Plateau also nicht."),
    "claim_jump_unmeasured": ("The stored runs with the {cost} carry no gradient norms, so the "
                              "saturation of the output neurons is not measured here.",
                              "Die gespeicherten Läufe mit {cost} enthalten keine "
                              "Gradientennormen; die Sättigung der Ausgabeneuronen ist hier "
                              "nicht gemessen."),
    "claim_higher_final": ("With the {best} the final test accuracy is higher, by {lead} points.",
                           "Mit {best} ist die Testgenauigkeit am Ende um {lead} Prozentpunkte "
                           "höher."),
    "claim_cmp_missing": ("25b is not stored, so 25c is not compared with it.",
                          "25b ist nicht gespeichert; 25c wird daher nicht damit verglichen."),
    "claim_cmp_refused": ("25c is not compared with 25b: the runs differ not only in λ but also "
                          "in {keys}.",
                          "25c wird nicht mit 25b verglichen: die Läufe unterscheiden sich "
                          "nicht nur in λ, sondern auch in {keys}."),
    "claim_cmp_final": ("With λ = {lmbda} the final test accuracy is {with} against {without} "
                        "without regularization ({diff} points).",
                        "Mit λ = {lmbda} beträgt die Testgenauigkeit am Ende {with} gegenüber "
                        "{without} ohne Regularisierung ({diff} Prozentpunkte)."),
    "claim_cmp_gap_shrinks": ("The gap training − test at the end shrinks from {without} to "
                              "{with} points.",
                              "Der Abstand Training − Test am Ende sinkt von {without} auf "
                              "{with} Prozentpunkte."),
    "claim_cmp_gap_grows": ("The gap training − test at the end grows from {without} to {with} "
                            "points.",
                            "Der Abstand Training − Test am Ende wächst von {without} auf "
                            "{with} Prozentpunkte."),
    "claim_cmp_gap_same": ("The gap training − test at the end is {with} points with and "
                           "without regularization.",
                           "Der Abstand Training − Test am Ende beträgt mit und ohne "
                           "Regularisierung {with} Prozentpunkte."),
    "claim_cmp_cost": ("The training cost, which with λ > 0 includes the L2 term (λ/2n) Σ w², "
                       "ends at {with} against {without} without regularization.",
                       "Die Trainingskosten, die mit λ > 0 den L2-Term (λ/2n) Σ w² enthalten, "
                       "enden bei {with} gegenüber {without} ohne Regularisierung."),
    "claim_cmp_level": ("The test accuracy levels off (criterion as above) from epoch {without} "
                        "on without regularization and from epoch {with} on with λ = {lmbda}; "
                        "it peaks at {peak_without} without and at {peak_with} with it.",
                        "Die Testgenauigkeit flacht (Kriterium wie oben) ohne Regularisierung "
                        "ab Epoche {without} ab, mit λ = {lmbda} ab Epoche {with}; ihr "
                        "Höchstwert ist {peak_without} ohne und {peak_with} mit Regularisierung."),
    "claim_cmp_test_cost": ("The cost on the test data is lowest in epoch {min_without} of "
                            "{n_without} without regularization and {trend_without}; with λ = "
                            "{lmbda} it is lowest in epoch {min_with} of {n_with} and "
                            "{trend_with}.",
                            "Die Kosten auf den Testdaten sind ohne Regularisierung in Epoche "
                            "{min_without} von {n_without} am kleinsten und {trend_without}; mit "
                            "λ = {lmbda} sind sie in Epoche {min_with} von {n_with} am kleinsten "
                            "und {trend_with}."),
    "phrase_test_cost_rises": ("rises after it (never lower again, ending higher)",
                               "steigen danach an (nie wieder kleiner, am Ende höher)"),
    "phrase_test_cost_late": ("ends higher, with too few epochs after it to speak of a rise",
                              "enden höher, doch danach folgen zu wenige Epochen, um von "
                              "einem Anstieg zu sprechen"),
    "phrase_test_cost_flat": ("ends at that value at the precision shown",
                              "enden in der gezeigten Genauigkeit bei diesem Wert"),

    # -------------------------------------------------------------- figures
    "fig25_epoch": ("Epoch", "Epoche"),
    "fig25_accuracy": ("Accuracy (% of the data set)", "Genauigkeit (% des Datensatzes)"),
    "fig25_test_accuracy": ("Test accuracy (% of {n:,} test images)",
                            "Testgenauigkeit (% von {n:,} Testbildern)"),
    "fig25_training_cost": ("Training cost C (mean per sample; with the L2 term if λ > 0)",
                            "Trainingskosten C (Mittel pro Beispiel; mit L2-Term, falls λ > 0)"),
    "fig25_training_cost_log": ("Training cost C (log scale)", "Trainingskosten C (log. Skala)"),
    "fig25_test": ("test", "Test"),
    "fig25_training": ("training", "Training"),
    "fig25_cost_line": ("training cost", "Trainingskosten"),
    "fig25_mean_band": ("line: mean of {n} seeds, band: min-max",
                        "Linie: Mittel über {n} Seeds, Band: Min-Max"),
    "fig25_variant": ("{cost} (η = {eta:g})", "{cost} (η = {eta:g})"),
    "fig25_25a_title": ("25a: accuracy per epoch, quadratic vs cross-entropy cost\n"
                        "({train:,} training images, mini-batch {m})",
                        "25a: Genauigkeit pro Epoche, quadratische vs. Kreuzentropie-Kosten\n"
                        "({train:,} Trainingsbilder, Mini-Batch {m})"),
    "fig25_25b_cost_title": ("25b: training cost from epoch {start} on\n"
                             "({train:,} training images, λ = {lmbda:g})",
                             "25b: Trainingskosten ab Epoche {start}\n"
                             "({train:,} Trainingsbilder, λ = {lmbda:g})"),
    "fig25_25b_acc_title": ("25b: test accuracy from epoch {start} on\n"
                            "({train:,} training images, λ = {lmbda:g})",
                            "25b: Testgenauigkeit ab Epoche {start}\n"
                            "({train:,} Trainingsbilder, λ = {lmbda:g})"),
    "fig25_25b_all_title": ("25b: training vs test accuracy, all epochs",
                            "25b: Trainings- vs. Testgenauigkeit, alle Epochen"),
    "fig25_25c_cost_title": ("25c vs 25b: training cost from epoch {start} on\n"
                             "(mean per sample, including the L2 term)",
                             "25c vs. 25b: Trainingskosten ab Epoche {start}\n"
                             "(Mittel pro Beispiel, mit L2-Term)"),
    "fig25_25c_acc_title": ("25c vs 25b: test accuracy from epoch {start} on",
                            "25c vs. 25b: Testgenauigkeit ab Epoche {start}"),
    "fig25_25c_all_title": ("25c vs 25b: training and test accuracy, all epochs",
                            "25c vs. 25b: Trainings- und Testgenauigkeit, alle Epochen"),
    "fig25_without": ("without L2 (λ = {lmbda:g})", "ohne L2 (λ = {lmbda:g})"),
    "fig25_with": ("with L2 (λ = {lmbda:g})", "mit L2 (λ = {lmbda:g})"),
    "fig25_peak": ("peak {value:.2f} % (epoch {epoch})", "Maximum {value:.2f} % (Epoche {epoch})"),
    "fig25_sweep_title": (("Sweep of {experiment}: test accuracy per grid point\n"
                           "(mean over {n} seed, bars: min-max)",
                           "Sweep of {experiment}: test accuracy per grid point\n"
                           "(mean over {n} seeds, bars: min-max)"),
                          ("Sweep von {experiment}: Testgenauigkeit pro Gitterpunkt\n"
                           "(Mittel über {n} Seed, Balken: Min-Max)",
                           "Sweep von {experiment}: Testgenauigkeit pro Gitterpunkt\n"
                           "(Mittel über {n} Seeds, Balken: Min-Max)")),
    "fig25_final": ("final", "am Ende"),
    "fig25_best": ("peak", "Maximum"),
    "fig25_grid_point": ("Grid point", "Gitterpunkt"),

    # ------------------------------------------------------------------ CLI
    "cli_part": ("== {part}: {title} ==", "== {part}: {title} =="),
    "cli_task25": ("task 25", "Aufgabe 25"),
    "cli_task25_title": ("training with cost functions, overfitting, L2 regularization",
                         "Training mit Kostenfunktionen, Overfitting, L2-Regularisierung"),
    "cli_gradients": ("task 26", "Aufgabe 26"),
    "cli_gradients_title": ("unstable gradients", "instabile Gradienten"),
    "cli_complex": ("tutorial task", "Tutoraufgabe"),
    "cli_complex_title": ("complex-valued backprop", "komplexwertige Backpropagation"),
    "cli_report": ("report", "Bericht"),
    "cli_report_title": ("HTML and Markdown", "HTML und Markdown"),
    "cli_background": ("(task 26 and the complex task run alongside in the background)",
                       "(Aufgabe 26 und die Tutoraufgabe laufen nebenher im Hintergrund)"),
    "cli_part_seconds": ("{part} finished in {seconds:.1f} s", "{part} fertig nach {seconds:.1f} s"),
    "cli_sheet_seconds": ("sheet finished in {seconds:.1f} s; results in {out}",
                          "Übungsblatt fertig nach {seconds:.1f} s; Ergebnisse in {out}"),
    "cli_runs": (("{n} run: {trained} trained ({resumed} resumed), {reused} reused from {where}; "
                  "{seconds:.1f} s",
                  "{n} runs: {trained} trained ({resumed} resumed), {reused} reused from "
                  "{where}; {seconds:.1f} s"),
                 ("{n} Lauf: {trained} trainiert ({resumed} fortgesetzt), {reused} übernommen "
                  "aus {where}; {seconds:.1f} s",
                  "{n} Läufe: {trained} trainiert ({resumed} fortgesetzt), {reused} übernommen "
                  "aus {where}; {seconds:.1f} s")),
    "cli_files": ("figures: {figures}; summary: {summary}",
                  "Abbildungen: {figures}; Zusammenfassung: {summary}"),
    "cli_report_wrote": ("wrote {html} and {md}", "{html} und {md} geschrieben"),
    "cli_report_gaps": ("incomplete parts: {parts} (the report names the commands that produce "
                        "them)", "unvollständige Teile: {parts} (der Bericht nennt die Befehle, "
                        "die sie erzeugen)"),
    "cli_report_written": ("report: {html} and {md}", "Bericht: {html} und {md}"),
    "exp_overfitting": ("overfitting", "Overfitting"),
    "exp_regularization": ("L2 regularization", "L2-Regularisierung"),
    "cli_col_part": ("part", "Teil"),
    "cli_col_run": ("run", "Lauf"),
    "cli_col_seeds": ("seeds", "Seeds"),
    "cli_col_epochs": ("epochs", "Epochen"),
    "explorer_setup": (("{task}, {cost}, {n} epoch", "{task}, {cost}, {n} epochs"),
                       ("{task}, {cost}, {n} Epoche", "{task}, {cost}, {n} Epochen")),
    "cli_col_final": ("test acc. final", "Testgen. Ende"),
    "cli_col_peak": ("test acc. peak (epoch)", "Testgen. Max. (Epoche)"),
    "cli_col_train": ("train acc. final", "Trainingsgen. Ende"),
    "cli_col_cost": ("train cost final", "Trainingskosten Ende"),
    "cli_col_seconds": ("train s", "Training s"),
    "cli_col_point": ("grid point", "Gitterpunkt"),
    "cli_col_peak_only": ("test acc. peak", "Testgen. Max."),
    "cli_col_peak_epoch": ("peak epoch", "Epoche des Max."),
    "cli_diverged": ("{run}, seed {seed}, diverged after {done} of {epochs} epochs (weights or "
                     "cost became non-finite; a smaller η helps): only its finished epochs "
                     "are used.",
                     "{run}, Seed {seed}, divergierte nach {done} von {epochs} Epochen "
                     "(Gewichte oder Kosten wurden nicht endlich; ein kleineres η hilft): nur "
                     "seine abgeschlossenen Epochen werden verwendet."),
    "cli_claims_mean": ("The statements are about the mean curve over the {n} seeds (epoch by "
                        "epoch); the table gives mean ± std of each seed's own values.",
                        "Die Aussagen betreffen die mittlere Kurve über die {n} Seeds (Epoche "
                        "für Epoche); die Tabelle zeigt Mittelwert ± Standardabweichung der "
                        "Werte jedes Seeds."),
    "cli_sweep_mean": ("Each cell with several seeds: mean ± standard deviation of the seeds' "
                       "values (the figure's bars: their minimum to maximum).",
                       "Jede Zelle mit mehreren Seeds: Mittelwert ± Standardabweichung der "
                       "Werte der Seeds (die Balken der Abbildung: ihr Minimum bis Maximum)."),
    "cli_sweep_done": (("sweep: {stem}.json, figure {figure}.png/.svg; {n} run: {trained} trained, "
                        "{reused} reused; {seconds:.1f} s",
                        "sweep: {stem}.json, figure {figure}.png/.svg; {n} runs: {trained} trained, "
                        "{reused} reused; {seconds:.1f} s"),
                       ("Sweep: {stem}.json, Abbildung {figure}.png/.svg; {n} Lauf: {trained} "
                        "trainiert, {reused} übernommen; {seconds:.1f} s",
                        "Sweep: {stem}.json, Abbildung {figure}.png/.svg; {n} Läufe: {trained} "
                        "trainiert, {reused} übernommen; {seconds:.1f} s")),
    "n_epochs": (("{n:,} epoch", "{n:,} epochs"), ("{n:,} Epoche", "{n:,} Epochen")),
    # the explorer of the report (deltanet.report.explorer), keys dx_*
    "dx_title": ("Explore the runs", "Die Läufe erkunden"),
    "dx_lmbda": ("λ (L2)", "λ (L2)"),
    "dx_eta": ("η", "η"),
    "dx_train_size": ("training images", "Trainingsbilder"),
    "dx_seed": ("seed", "Startwert"),
    "dx_setup": ("setup", "Aufbau"),
    "dx_accuracy": ("Accuracy (%)", "Genauigkeit (%)"),
    "dx_cost": ("Cost (log scale)", "Kosten (log. Skala)"),
    "dx_epoch": ("epoch", "Epoche"),
    "dx_training": ("training data", "Trainingsdaten"),
    "dx_test": ("test data (evaluation)", "Testdaten (Evaluation)"),
    "dx_noscript": ("JavaScript is off: this is the first run only; the report's figures "
                    "above show every run.",
                    "JavaScript ist aus: nur der erste Lauf; die Abbildungen des Berichts "
                    "oben zeigen alle Läufe."),
    "dx_peak_name": ("peak test accuracy", "höchste Testgenauigkeit"),
    "dx_peak_value": ("{v:.2f} % in epoch {e}", "{v:.2f} % in Epoche {e}"),
    "dx_peak_definition": ("the highest test accuracy over all epochs, and the first epoch "
                           "with it",
                           "die höchste Testgenauigkeit aller Epochen und die erste Epoche "
                           "mit ihr"),
    "dx_final_name": ("final test accuracy", "Testgenauigkeit am Ende"),
    "dx_final_value": ("{v:.2f} %", "{v:.2f} %"),
    "dx_final_definition": ("after the last epoch", "nach der letzten Epoche"),
    "dx_gap_name": ("final train-test gap", "Lücke Training-Test am Ende"),
    "dx_gap_value": ("{v:.2f} points", "{v:.2f} Punkte"),
    "dx_gap_definition": ("training minus test accuracy after the last epoch, in percentage "
                          "points; a wide gap means the net fits its training images better "
                          "than new ones (overfitting)",
                          "Trainings- minus Testgenauigkeit nach der letzten Epoche, in "
                          "Prozentpunkten; eine große Lücke heißt, das Netz passt die "
                          "Trainingsbilder besser an als neue (Overfitting)"),
    "dx_epochs": ("{done} of {planned}, status {status}",
                  "{done} von {planned}, Status {status}"),
    "dx_status_complete": ("complete", "vollständig"),
    "dx_status_partial": ("partial", "unvollständig"),
    "dx_status_diverged": ("diverged", "divergiert"),
    "dx_claims": ("What the sheet's answers say about this run",
                 "Was die Antworten des Blatts über diesen Lauf sagen"),

    # --- CLI strings of the faults review (branch faults) ---
    "cli_partial": ("{run}, seed {seed}, interrupted after {done} of {epochs} epochs: only its "
                    "finished epochs are used; the command that trained it resumes it.",
                    "{run}, Seed {seed}, unterbrochen nach {done} von {epochs} Epochen: nur "
                    "seine abgeschlossenen Epochen werden verwendet; der Befehl, der ihn "
                    "trainiert hat, setzt ihn fort."),

    # --- CLI strings of the second CLI review (branch cli2) ---
    "cli_part_reused": ("(results reused from {where}; --force computes them again)",
                        "(Ergebnisse aus {where} wiederverwendet; --force berechnet sie neu)"),
}
