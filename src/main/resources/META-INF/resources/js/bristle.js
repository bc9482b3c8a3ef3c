// Bristle's page behaviour, served as a file (no inline scripts, so a strict Content-Security-Policy holds).
// Every page works without it; it adds upload progress, form presets, confirmations and the picture viewer.
(function () {
    'use strict';

    // CSRF: htmx requests that change something send the page's token (the meta tag) in the header Quarkus checks,
    // so an element outside a form (no hidden csrf-token field) may post too.
    document.addEventListener('htmx:configRequest', function (event) {
        var token = document.querySelector('meta[name=csrf-token]');
        if (token && event.detail.verb !== 'get') event.detail.headers['X-CSRF-TOKEN'] = token.content;
    });

    // Uploads: htmx posts the form and reports the upload's progress; a refused upload (400, 413) swaps the
    // form with its problems in place.
    document.addEventListener('htmx:beforeRequest', function (event) {
        var form = event.target.closest && event.target.closest('form[data-upload-progress]');
        if (!form) return;
        var box = form.querySelector('.upload-progress');
        if (box) box.hidden = false;
        var button = form.querySelector('button[type=submit]');
        if (button) button.disabled = true;
    });
    document.addEventListener('htmx:xhr:progress', function (event) {
        var form = event.target.closest && event.target.closest('form[data-upload-progress]');
        if (!form || !event.detail.lengthComputable) return;
        var bar = form.querySelector('.upload-progress progress');
        var label = form.querySelector('.upload-progress [role=status]');
        var percent = Math.round(100 * event.detail.loaded / event.detail.total);
        bar.value = percent;
        label.textContent = event.detail.loaded < event.detail.total
            ? 'Uploading… ' + percent + ' % of ' + megabytes(event.detail.total)
            : 'Uploaded ' + megabytes(event.detail.total) + '; checking the set…';
    });
    document.addEventListener('htmx:afterRequest', function (event) {
        var form = event.target.closest && event.target.closest('form[data-upload-progress]');
        if (!form || !document.body.contains(form)) return;
        var button = form.querySelector('button[type=submit]');
        if (button) button.disabled = false;
    });
    document.addEventListener('htmx:beforeSwap', function (event) {
        var status = event.detail.xhr.status;
        if ((status === 400 || status === 413) && event.detail.elt.matches('form[data-upload-progress]')) {
            event.detail.shouldSwap = true;
            event.detail.isError = false;
        }
    });

    function megabytes(bytes) {
        return (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0) + ' MB';
    }

    // "Score this set": a preset fills the custom fields with its settings and locks them; "custom" unlocks.
    function applyPreset(form) {
        var chosen = form.querySelector('input[name=preset]:checked');
        var custom = form.querySelector('[data-custom]');
        if (!chosen || !custom) return;
        var isCustom = chosen.value === 'custom';
        custom.disabled = !isCustom;
        if (isCustom) return;
        var d = chosen.dataset;
        form.querySelector('[name=epochs]').value = d.epochs;
        form.querySelector('[name=students]').value = d.students;
        form.querySelector('[name=testLimit]').value = d.testLimit;
        form.querySelector('[name=seed]').value = d.seed;
        var attacks = d.attacks.split(' ');
        form.querySelectorAll('[name=attacks]').forEach(function (box) { box.checked = attacks.indexOf(box.value) >= 0; });
        var modes = d.modes.split(' ');
        form.querySelectorAll('[name=modes]').forEach(function (box) { box.checked = modes.indexOf(box.value) >= 0; });
        form.querySelectorAll('[name=protocol]').forEach(function (radio) { radio.checked = radio.value === d.protocol; });
        form.querySelector('[name=budgetGrid]').checked = d.budgetGrid === 'true';
    }

    // Confirmations: a form with data-confirm asks before it submits.
    document.addEventListener('submit', function (event) {
        var message = event.target.getAttribute && event.target.getAttribute('data-confirm');
        if (message && !window.confirm(message)) event.preventDefault();
    });

    // Pictures: a click on a distilled image opens it large in a dialog; Escape or a click closes it.
    document.addEventListener('click', function (event) {
        var link = event.target.closest && event.target.closest('a[data-enlarge]');
        var dialog = document.getElementById('image-viewer');
        if (link && dialog && dialog.showModal) {
            event.preventDefault();
            var image = dialog.querySelector('img');
            image.src = link.getAttribute('href');
            image.alt = link.getAttribute('data-enlarge');
            dialog.querySelector('figcaption').textContent = link.getAttribute('data-enlarge');
            dialog.showModal();
        } else if (dialog && dialog.open && (event.target === dialog || event.target.closest('[data-close]'))) {
            dialog.close();
        }
    });

    function init(root) {
        root.querySelectorAll('form[data-presets]').forEach(function (form) {
            if (form.dataset.presetsReady) return;
            form.dataset.presetsReady = 'true';
            form.addEventListener('change', function (event) {
                if (event.target.name === 'preset') applyPreset(form);
            });
            applyPreset(form);
        });
    }

    document.addEventListener('DOMContentLoaded', function () { init(document); });
    document.addEventListener('htmx:load', function (event) { init(event.target.parentNode || document); });
})();
