# kubectl port-forward and the shell's background jobs (issue #12): a forward in the
# background, curl to it from the lab machine, and the forward's end.
kubectl apply -f deployment.yaml -f service.yaml
kubectl wait --for=condition=Available deploy/demoapp --timeout=60s
curl localhost:8080
kubectl port-forward svc/demoapp-svc 8080:80 &
jobs
curl -s localhost:8080
curl -s 127.0.0.1:8080/hostname
kubectl port-forward deploy/demoapp 8080:80
kill %1
curl localhost:8080
kubectl port-forward svc/demoapp-svc 8080:81
kubectl port-forward svc/nope 8080:80
kubectl port-forward svc/demoapp-svc 8080:web
kubectl port-forward deploy/demoapp 8080:x
kubectl port-forward deploy/demoapp 8080:0
kubectl port-forward deploy/demoapp 99999:80
kubectl port-forward --address 10.0.0.300 deploy/demoapp 8080:80
kubectl port-forward deploy/demoapp
kubectl run idle --image=ikubernetes/demoapp:nope
kubectl port-forward pod/idle 8080:80
kubectl port-forward --address 0.0.0.0 deploy/demoapp 9090:80 > /tmp/pf.log 2>&1 &
POD=$(kubectl get pods -l app=demoapp -o jsonpath='{.items[0].metadata.name}')
curl -s localhost:9090/hostname
cat /tmp/pf.log
kubectl delete pod/$POD --wait=false
sleep 40
jobs
cat /tmp/pf.log
curl localhost:9090
timeout 5 kubectl port-forward deploy/demoapp http
echo $?
kubectl port-forward deploy/demoapp 8081:8080 &
curl localhost:8081
wait $!
echo $?
