; model.fit(X, y)
(call
  function: (attribute
    attribute: (identifier) @_fn)
  (#eq? @_fn "fit")
  arguments: (argument_list
    .
    (_)
    .
    (_))) @match

; scaler.fit_transform(X), clf.predict_proba(X)
(call
  function: (attribute
    attribute: (identifier) @_fn)
  (#any-of? @_fn "fit_transform" "fit_predict" "partial_fit" "predict_proba")) @match

; train_test_split(X, y), cross_val_score(clf, X, y)
(call
  function: (identifier) @_fn
  (#any-of? @_fn "train_test_split" "cross_val_score" "cross_validate" "GridSearchCV" "RandomizedSearchCV")) @match
